// aseankg query page: Ctrl+Enter runs the query; "edit" puts a saved query in the editor.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var editor = document.getElementById("query");
  if (!form || !editor) { return; }
  editor.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.submit();
    }
  });
  document.querySelectorAll("button.load").forEach(function (button) {
    button.addEventListener("click", function () {
      editor.value = button.getAttribute("data-query");
      editor.focus();
    });
  });
})();
