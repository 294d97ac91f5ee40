// The SPARQL workbench: syntax highlighting over the plain textarea, which works without it.
// Ctrl-Enter (Cmd-Enter) runs the query.
(function () {
  "use strict";
  var area = document.getElementById("query");
  if (!area || typeof CodeMirror === "undefined") {
    return;
  }
  var editor = CodeMirror.fromTextArea(area, {
    mode: "application/sparql-query",
    lineNumbers: true,
    matchBrackets: true,
    indentUnit: 2,
    viewportMargin: Infinity,
    extraKeys: {
      "Ctrl-Enter": function () { editor.save(); area.form.submit(); },
      "Cmd-Enter": function () { editor.save(); area.form.submit(); }
    }
  });
  editor.getWrapperElement().setAttribute("aria-label", "SPARQL query editor");
  editor.getInputField().setAttribute("aria-label", "SPARQL query");
})();
