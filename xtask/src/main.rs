//! Project tasks that are no part of `treaty` itself.
//!
//! `cargo run -p xtask -- man [DIR]` writes the man pages of `treaty` and of each of its
//! commands (`treaty.1`, `treaty-eval.1`, …) to DIR (default `target/man`), built from the
//! same clap definitions as the binary. Install them with, for example,
//! `cp target/man/*.1 ~/.local/share/man/man1/`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::CommandFactory;

// The command line's definition, shared with the binary, so the pages cannot drift from it.
#[path = "../../src/cli.rs"]
mod cli;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    match args.next().as_deref() {
        Some("man") => {
            let dir = args
                .next()
                .map_or_else(|| PathBuf::from("target/man"), PathBuf::from);
            match man(&dir) {
                Ok(()) => {
                    println!("man pages written to {}", dir.display());
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!(
                        "error: cannot write the man pages to {}: {error}",
                        dir.display()
                    );
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: cargo run -p xtask -- man [DIR]");
            ExitCode::from(2)
        }
    }
}

/// `treaty.1` and one page a command.
fn man(dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(cli::Cli::command(), dir)
}
