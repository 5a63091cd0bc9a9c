// Builds static/build/ from static/src/ and node_modules: `npm run build` (after `npm ci`).
// Needs no network. The ID-SK images and fonts copied are exactly those the compiled CSS refers
// to, so nothing unused ships and a missing asset fails the build instead of 404ing in production.
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const src = join(root, "static/src");
const out = join(root, "static/build");
const modules = join(root, "node_modules");
// ID-SK's own assets first; a few GOV.UK rules it keeps refer to GOV.UK's (the footer crest).
const assetDirs = ["idsk", "govuk"].map((kit) => join(modules, "@id-sk/frontend", kit, "assets"));
const assetUrl = "/static/build/"; // must match $idsk-assets-path in _settings.scss

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const referenced = new Set();
for (const name of ["portal", "print"]) {
  const { css } = sass.compile(join(src, `${name}.scss`), {
    style: "compressed",
    sourceMap: false,
    loadPaths: [modules],
    quietDeps: true, // ID-SK's own Sass predates the module system; its warnings are not ours
    silenceDeprecations: ["import"],
  });
  writeFileSync(join(out, `${name}.css`), css);
  for (const [, path] of css.matchAll(/url\(["']?([^"')]+)["']?\)/g)) {
    if (path.startsWith(assetUrl)) referenced.add(path.slice(assetUrl.length));
  }
}

function copy(from, to) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

for (const asset of referenced) {
  const from = assetDirs.map((dir) => join(dir, asset)).find(existsSync);
  if (!from) throw new Error(`the CSS refers to ${assetUrl}${asset}, which ID-SK does not ship`);
  copy(from, join(out, asset));
}
copy(join(modules, "htmx.org/dist/htmx.min.js"), join(out, "htmx.min.js"));
copy(join(modules, "axe-core/axe.min.js"), join(out, "axe.min.js"));
// ID-SK's scripts enhance accordion, tabs and the search filter; pages that use them load it.
copy(join(modules, "@id-sk/frontend/idsk/all.js"), join(out, "idsk-frontend.js"));
copy(join(src, "js/idsk-init.js"), join(out, "idsk-init.js"));

console.log(`static/build: portal.css, print.css, ${referenced.size} ID-SK assets, scripts`);
