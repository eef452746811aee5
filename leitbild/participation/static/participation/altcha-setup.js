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
