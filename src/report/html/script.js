// Optional: buttons to open or close every explanation, and all of them opened for printing.
// The page is complete without this script.
(function () {
  var details = document.querySelectorAll("details");
  function openAll(open) {
    for (var i = 0; i < details.length; i++) details[i].open = open;
  }
  var tools = document.getElementById("tools");
  if (tools && details.length > 0) {
    [["Expand all explanations", true], ["Collapse all", false]].forEach(function (spec) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = spec[0];
      button.addEventListener("click", function () { openAll(spec[1]); });
      tools.appendChild(button);
    });
  }
  window.addEventListener("beforeprint", function () { openAll(true); });
  document.documentElement.setAttribute("data-ready", "1");
})();
