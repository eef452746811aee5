// ALTCHA proof of work: register the worker scripts that we serve ourselves (strict CSP, no
// inline workers). Runs after the widget module, before any verification starts.
const setup = document.getElementById("altcha-setup");
const base = setup ? setup.dataset.workers : "/static/vendor/altcha/workers/";
const registry = globalThis.$altcha && globalThis.$altcha.algorithms;
if (registry) {
  const pbkdf2 = () => new Worker(base + "pbkdf2.js");
  const sha = () => new Worker(base + "sha.js");
  ["PBKDF2/SHA-256", "PBKDF2/SHA-384", "PBKDF2/SHA-512"].forEach((name) => registry.set(name, pbkdf2));
  ["SHA-256", "SHA-384", "SHA-512"].forEach((name) => registry.set(name, sha));
}

// The widget's texts in the page's language, from our JavaScript catalog (loaded by base.html),
// so that they are translated with the rest of the site; the widget's own texts for that
// language (or English) stay for anything not listed here.
const i18n = globalThis.$altcha && globalThis.$altcha.i18n;
if (i18n && typeof globalThis.gettext === "function") {
  const language = document.documentElement.lang || "de";
  i18n.set(language, Object.assign({}, i18n.get("en"), i18n.get(language), {
    ariaLinkLabel: gettext("ALTCHA (offizielle Website)"),
    cancel: gettext("Abbrechen"),
    enterCode: gettext("Code eingeben"),
    enterCodeAria: gettext("Geben Sie den Code ein, den Sie hören. Mit der Leertaste hören Sie ihn."),
    enterCodeFromImage: gettext("Geben Sie bitte den Code aus dem Bild unten ein."),
    error: gettext("Die Prüfung ist fehlgeschlagen. Bitte versuchen Sie es später erneut."),
    expired: gettext("Die Prüfung ist abgelaufen. Bitte versuchen Sie es erneut."),
    getAudioChallenge: gettext("Code zum Anhören anfordern"),
    label: gettext("Ich bin kein Roboter"),
    loading: gettext("Wird geladen …"),
    reload: gettext("Neu laden"),
    verify: gettext("Prüfen"),
    verificationRequired: gettext("Bitte schließen Sie zuerst die Sicherheitsprüfung ab."),
    verified: gettext("Geprüft"),
    verifying: gettext("Wird geprüft …"),
    waitAlert: gettext("Die Prüfung läuft, bitte warten Sie einen Moment.")
  }));
}

// Without JavaScript the forms are sent without a solution (and go to pre-moderation), so the
// widget's block is hidden in the HTML and shown here, once the widget can work.
document.querySelectorAll(".lb-altcha[hidden]").forEach((block) => { block.hidden = false; });

// Once verified, the widget's checkbox must not be un-ticked again: the widget would throw the
// solution away, and a keyboard user who presses Space once too often (or a screen reader's
// "activate") would send the form without it. Clicks and Space on a verified widget are
// caught before they reach the checkbox.
document.querySelectorAll("altcha-widget").forEach((widget) => {
  let verified = false;
  widget.addEventListener("statechange", (event) => {
    verified = Boolean(event.detail && event.detail.state === "verified");
  });
  const keep = (event) => {
    if (!verified) { return; }
    const target = event.composedPath()[0];
    if (target instanceof HTMLInputElement && target.type === "checkbox") {
      if (event.type !== "click" && event.key !== " ") { return; }
      event.preventDefault();
      event.stopPropagation();
    }
  };
  ["click", "keydown", "keyup"].forEach((type) => widget.addEventListener(type, keep, true));
});
