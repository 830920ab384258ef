//! The HTML pages opened in a real browser: headless Chromium loads the eval, compare and
//! coverage pages of the letter on the 1978 data base from disk, with name resolution
//! disabled, takes a screenshot of each and dumps the DOM its script left. A page fails on any
//! console message (a script error, a refused load), on a script that did not run to its end,
//! and on a blank screenshot.
//!
//! Chromium is the Debian package `chromium` (`.ci/run` installs it), or the program named by
//! `TREATY_CHROMIUM`. Without it the test is skipped with a message, except in CI (`CI=true`),
//! where it fails. `TREATY_UPDATE_SCREENSHOTS=1` also writes the screenshots to docs/images/.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::arithmetic_side_effects
)]

mod common;
#[path = "common/html.rs"]
mod html_checks;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const LETTER: &str = "rules/ussr-1977-03-15.treaty";
const DATA_BASE: &str = "scenarios/salt2-data-base-1978-11-01.toml";

/// A page to open: its name, the `treaty` arguments that write it, the window, what the
/// rendered DOM must say, and the rows of the screenshot kept for docs/images/.
struct Page {
    name: &'static str,
    args: &'static [&'static str],
    window: (u32, u32),
    says: &'static str,
    docs_rows: (u32, u32),
}

const PAGES: &[Page] = &[
    Page {
        name: "eval-letter-data-base",
        args: &["eval", LETTER, DATA_BASE, "--format", "html"],
        window: (1200, 1300),
        says: "USSR: 2504, against the bound ≤ 2400: over by 104.",
        docs_rows: (0, 1130),
    },
    Page {
        name: "compare-data-base",
        args: &[
            "compare",
            "rules/vladivostok-1974.treaty",
            LETTER,
            "rules/salt2-1979.treaty",
            "--scenario",
            DATA_BASE,
            "--format",
            "html",
        ],
        window: (1200, 1400),
        says: "salt2-1979, USSR: 2504, against the bound ≤ 2400: over by 104.",
        docs_rows: (0, 1280),
    },
    Page {
        name: "coverage-letter",
        args: &[
            "coverage",
            LETTER,
            "--scenario",
            DATA_BASE,
            "--format",
            "html",
        ],
        window: (1200, 3000),
        says: "Commitments not quoted (10)",
        docs_rows: (1640, 2900),
    },
];

/// The browser: `TREATY_CHROMIUM`, or the first Chromium or Chrome on the `PATH`.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("TREATY_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let names = [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ];
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// What the browser did with one page.
struct Outcome {
    status: std::process::ExitStatus,
    dom: String,
    log: String,
    screenshot: PathBuf,
}

fn open(browser: &Path, file: &Path, window: (u32, u32), work: &Path) -> Outcome {
    let stem = file.file_stem().unwrap().to_string_lossy().into_owned();
    let profile = work.join(format!("{stem}-profile"));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).unwrap();
    let screenshot = work.join(format!("{stem}.png"));
    let _ = std::fs::remove_file(&screenshot);
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--mute-audio",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
            "--force-color-profile=srgb",
            // Nothing can be fetched: every host name fails to resolve.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
            "--dump-dom",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", screenshot.display()))
        .arg(format!("--window-size={},{}", window.0, window.1))
        .arg(format!("file://{}", file.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("{}: the browser did not finish in 90 s", file.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let _ = std::fs::remove_dir_all(&profile);
    Outcome {
        status,
        dom: out.join().unwrap(),
        log: err.join().unwrap(),
        screenshot,
    }
}

/// The decoded screenshot: width, height and RGBA rows.
fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let mut decoder = png::Decoder::new(file);
    decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::ALPHA);
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    pixels.truncate(info.buffer_size());
    assert_eq!(info.color_type, png::ColorType::Rgba, "{}", path.display());
    (info.width, info.height, pixels)
}

/// The share of pixels (in thousandths) unlike the first one: a blank page has none.
fn drawn(pixels: &[u8]) -> usize {
    let Some(first) = pixels.get(..4) else {
        return 0;
    };
    let total = pixels.len() / 4;
    let unlike = pixels.chunks_exact(4).filter(|p| *p != first).count();
    unlike * 1000 / total.max(1)
}

/// Rows `from..to` of the screenshot, as a PNG for docs/images/.
fn write_rows(width: u32, pixels: &[u8], (from, to): (u32, u32), path: &Path) {
    let row = width as usize * 4;
    let rows = pixels
        .get(from as usize * row..to as usize * row)
        .expect("the rows kept for docs/images/ lie inside the screenshot");
    let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut encoder = png::Encoder::new(file, width, to - from);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::High);
    let mut writer = encoder.write_header().unwrap();
    writer.write_image_data(rows).unwrap();
}

#[test]
fn pages_render_in_headless_chromium() {
    let Some(browser) = chromium() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "no Chromium, and CI=true: the browser test must run in CI. `.ci/run` installs \
                 the Debian package `chromium`; or set TREATY_CHROMIUM to a Chromium or Chrome."
            );
        }
        eprintln!(
            "SKIPPED pages_render_in_headless_chromium: no Chromium found (install the Debian \
             package `chromium`, or set TREATY_CHROMIUM). CI runs this test."
        );
        return;
    };
    let work = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&work).unwrap();
    let treaty = PathBuf::from(env!("CARGO_BIN_EXE_treaty"));

    // Write every page, then open them all at once.
    let mut files = Vec::new();
    for page in PAGES {
        let output = Command::new(&treaty)
            .args(page.args)
            .current_dir(common::root())
            .output()
            .unwrap();
        assert!(output.status.success(), "{:?}", page.args);
        let html = String::from_utf8(output.stdout).unwrap();
        html_checks::check_page(&html);
        let file = work.join(format!("{}.html", page.name));
        std::fs::write(&file, html).unwrap();
        files.push(file);
    }
    let outcomes: Vec<Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = PAGES
            .iter()
            .zip(&files)
            .map(|(page, file)| scope.spawn(|| open(&browser, file, page.window, &work)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });

    let update = std::env::var("TREATY_UPDATE_SCREENSHOTS").is_ok_and(|v| v == "1");
    for (page, outcome) in PAGES.iter().zip(&outcomes) {
        let name = page.name;
        assert!(
            outcome.status.success(),
            "{name}: {}\n{}",
            outcome.status,
            outcome.log
        );
        let console: Vec<&str> = outcome
            .log
            .lines()
            .filter(|line| line.contains(":CONSOLE") || line.contains("net::ERR_"))
            .collect();
        assert!(console.is_empty(), "{name}: the console says {console:#?}");
        // The script ran to its last line, and the page holds what it should.
        assert!(
            outcome.dom.contains("data-ready=\"1\""),
            "{name}: the script did not finish"
        );
        assert!(
            outcome.dom.contains(page.says),
            "{name}: `{}` is missing",
            page.says
        );
        let (width, height, pixels) = decode(&outcome.screenshot);
        assert_eq!((width, height), page.window, "{name}: screenshot size");
        let drawn = drawn(&pixels);
        assert!(
            drawn > 20,
            "{name}: the page looks blank ({drawn}‰ of pixels drawn)"
        );
        if update {
            let path = common::root().join(format!("docs/images/{name}.png"));
            write_rows(width, &pixels, page.docs_rows, &path);
        }
    }
}
