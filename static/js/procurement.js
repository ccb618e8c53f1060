// Quote request form: "+ Add a line" clones the formset's empty form.
(function () {
  var button = document.getElementById("add-quote-line");
  var template = document.getElementById("quote-line-template");
  var lines = document.getElementById("quote-lines");
  var total = document.getElementById("id_lines-TOTAL_FORMS");
  var max = document.getElementById("id_lines-MAX_NUM_FORMS");
  if (!button || !template || !lines || !total) return;
  button.addEventListener("click", function () {
    var n = parseInt(total.value, 10);
    if (max && n >= parseInt(max.value, 10)) return;
    var html = template.innerHTML.replace(/__prefix__/g, n).replace(/__n__/g, n + 1);
    lines.insertAdjacentHTML("beforeend", html);
    total.value = n + 1;
  });
})();
