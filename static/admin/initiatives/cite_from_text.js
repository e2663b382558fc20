// "Cite from the text": under each quote box, a search of the chosen source's sentences;
// picking one copies it into the box word for word. Event delegation, so rows added
// with "Add another" work too.
"use strict";
(function () {
  function sourceSelectFor(box) {
    const row = box.closest("tr") || box.closest("fieldset") || box.closest("form");
    return row && row.querySelector('select[name$="source"]');
  }

  let pending = null;
  let asked = 0;  // only the latest search's answer is shown

  function search(input) {
    const box = input.closest(".cite-from-text");
    const list = box.querySelector(".cite-sentences");
    const select = sourceSelectFor(box);
    list.replaceChildren();
    if (!select || !select.value) {
      const note = document.createElement("li");
      note.textContent = input.dataset.noSource || "Choose the source first.";
      list.append(note);
      return;
    }
    const url = box.dataset.sentencesUrl.replace("SOURCE", encodeURIComponent(select.value)) +
      "?q=" + encodeURIComponent(input.value);
    const ask = ++asked;
    fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then((response) => response.ok ? response.json() : {sentences: []})
      .then((data) => {
        if (ask !== asked) return;
        list.replaceChildren();
        for (const sentence of data.sentences) {
          const item = document.createElement("li");
          const button = document.createElement("button");
          button.type = "button";
          button.className = "cite-sentence";
          button.textContent = sentence;
          item.append(button);
          list.append(item);
        }
      });
  }

  document.addEventListener("input", (event) => {
    if (!event.target.matches(".cite-search")) return;
    clearTimeout(pending);
    pending = setTimeout(() => search(event.target), 200);
  });
  document.addEventListener("focusin", (event) => {
    if (event.target.matches(".cite-search")) search(event.target);
  });
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".cite-sentence");
    if (!button) return;
    const box = button.closest(".cite-from-text");
    const quote = box.previousElementSibling;
    if (quote && quote.tagName === "TEXTAREA") {
      quote.value = button.textContent;
      quote.dispatchEvent(new Event("change", {bubbles: true}));
    }
    box.querySelector(".cite-sentences").replaceChildren();
  });
})();
