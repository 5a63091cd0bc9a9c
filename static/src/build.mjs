// Builds static/build/ from static/src/ and node_modules: `npm run build` (after `npm ci`).
// Needs no network. The ID-SK images and fonts copied are exactly those the compiled CSS refers
// to, so nothing unused ships and a missing asset fails the build instead of 404ing in production.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
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
// The marker in print.scss between the design system and the print rules, and the templates the
// PDF documents start from (see splitPrintStylesheet below).
const printMarker = "/*! app-print-rules */";
const documentRoots = [
  "base_print.html",
  "publishing/progress_report.html",
  "publishing/step_sheet.html",
  "monitoring/report.html",
];
// What those templates show only on the web page, never in a PDF (the download form).
const webOnlyTemplates = ["publishing/_pdf_options.html"];
// The icon font's classes, which are also English words ("how far"): documents draw no icons.
const iconFontClasses = ["fa", "fab", "fal", "far", "fas"];
// States no paper has: WeasyPrint never matches them.
const interactive = /:(hover|focus|focus-visible|focus-within|active|visited)\b/;

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const referenced = new Set();
for (const name of ["portal", "print"]) {
  let { css } = sass.compile(join(src, `${name}.scss`), {
    style: "compressed",
    sourceMap: false,
    loadPaths: [modules],
    quietDeps: true, // ID-SK's own Sass predates the module system; its warnings are not ours
    silenceDeprecations: ["import"],
  });
  const outputs = name === "print" ? splitPrintStylesheet(css) : { [name]: css };
  for (const [file, text] of Object.entries(outputs)) writeFileSync(join(out, `${file}.css`), text);
  for (const [, path] of css.matchAll(/url\(["']?([^"')]+)["']?\)/g)) {
    if (path.startsWith(assetUrl)) referenced.add(path.slice(assetUrl.length));
  }
}

// ---- The lean print stylesheets ----------------------------------------------------------------
// print.css holds the print rules, whole: base.html links it for media print after portal.css,
// and base_print.html after documents.css, so a printed page and a PDF share them. documents.css
// is the design system as far as the PDF documents use it (a browser has all of it in
// portal.css): the rules whose classes all occur in the documents' templates (and in the template
// tags that write markup), outside media queries WeasyPrint never matches (it knows media types,
// not widths) and states paper has not (:hover), and the @font-face rules of the families still
// named. WeasyPrint used to parse ~1,970 rules for every PDF to use ~250 of them; now ~300.
// (One file with both would not do: in a browser its copy of the design system would come after
// portal.css and undo the rules portal.css has for wider screens.)

// Every word of the documents' templates (following their includes and the templates of the
// template tags) and of the Python that writes markup: a generous set of possible class names.
// A word ending in "-" or "_" ("app-status--{{ status }}") stands for any class it begins.
function documentWords() {
  const templates = join(root, "templates");
  const tagFiles = ["actionplan", "core", "meetings", "monitoring", "publishing"]
    .map((app) => join(root, app, "templatetags"))
    .filter(existsSync)
    .flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith(".py")).map((f) => join(dir, f)));
  const tagCode = tagFiles.map((file) => readFileSync(file, "utf8")).join("\n");
  // {% tag %} → the template an inclusion tag renders
  const inclusionTags = new Map(
    [...tagCode.matchAll(/inclusion_tag\(\s*"([^"]+)"[^)]*\)\s*def (\w+)/g)].map(([, t, n]) => [n, t]),
  );
  const pending = [...documentRoots];
  const seen = new Set(webOnlyTemplates);
  let text = tagCode;
  while (pending.length) {
    const name = pending.pop().split("#")[0]; // "page.html#partial": the partial is in the page
    if (seen.has(name)) continue;
    seen.add(name);
    const source = readFileSync(join(templates, name), "utf8");
    text += "\n" + source;
    for (const [, included] of source.matchAll(/{%\s*(?:include|extends)\s+"([^"]+)"/g)) {
      pending.push(included);
    }
    for (const [, tag] of source.matchAll(/{%\s*(\w+)/g)) {
      if (inclusionTags.has(tag)) pending.push(inclusionTags.get(tag));
    }
  }
  const words = new Set(text.match(/[A-Za-z][\w!-]*/g));
  for (const word of iconFontClasses) words.delete(word);
  const prefixes = [...words].filter((word) => /[-_]$/.test(word));
  return (cls) => words.has(cls) || prefixes.some((prefix) => cls.startsWith(prefix));
}

// Splits compressed CSS into top-level statements: [prelude, body] for blocks, [text] for others.
// Quotes and parentheses (url(), :not()) are skipped over, so braces inside them do not count.
function statements(css) {
  const out = [];
  let start = 0;
  let depth = 0;
  let open = -1;
  let parens = 0;
  for (let i = 0; i < css.length; i++) {
    const c = css[i];
    if (c === '"' || c === "'") {
      i = css.indexOf(c, i + 1);
      while (css[i - 1] === "\\") i = css.indexOf(c, i + 1);
    } else if (c === "(") parens++;
    else if (c === ")") parens--;
    else if (parens > 0) continue;
    else if (c === "{") {
      if (depth++ === 0) open = i;
    } else if (c === "}") {
      if (--depth === 0) {
        out.push([css.slice(start, open), css.slice(open + 1, i)]);
        start = i + 1;
      }
    } else if (c === ";" && depth === 0) {
      out.push([css.slice(start, i + 1)]);
      start = i + 1;
    }
  }
  return out;
}

// Splits at top-level commas (not those inside :not(a, b) or quotes).
function selectorList(prelude) {
  const parts = [];
  let start = 0;
  let parens = 0;
  for (let i = 0; i < prelude.length; i++) {
    const c = prelude[i];
    if (c === '"' || c === "'") i = prelude.indexOf(c, i + 1);
    else if (c === "(") parens++;
    else if (c === ")") parens--;
    else if (c === "," && parens === 0) {
      parts.push(prelude.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(prelude.slice(start));
  return parts;
}

function prune(css, used) {
  const kept = [];
  for (const [prelude, body] of statements(css)) {
    if (body === undefined) {
      kept.push(prelude);
    } else if (prelude.startsWith("@media")) {
      const types = prelude.slice("@media".length).trim().split(",").map((t) => t.trim());
      if (!types.every((t) => /^[a-z]+$/.test(t)) || !types.some((t) => ["all", "print"].includes(t))) continue;
      const inner = prune(body, used);
      if (inner) kept.push(`${prelude}{${inner}}`);
    } else if (prelude.startsWith("@supports")) {
      const inner = prune(body, used);
      if (inner) kept.push(`${prelude}{${inner}}`);
    } else if (prelude.startsWith("@")) {
      kept.push(`${prelude}{${body}}`); // @font-face (sorted out below), @page, @keyframes
    } else {
      const selectors = selectorList(prelude).filter(
        (selector) =>
          !interactive.test(selector) &&
          [...selector.matchAll(/\.((?:\\.|[\w-])+)/g)].every(([, cls]) => used(cls.replace(/\\/g, ""))),
      );
      if (selectors.length) kept.push(`${selectors.join(",")}{${body}}`);
    }
  }
  return kept.join("");
}

// print.scss compiles to the design system, the marker, then the print rules: print.css gets the
// print rules, documents.css the design system pruned to what the documents use.
function splitPrintStylesheet(css) {
  const at = css.indexOf(printMarker);
  if (at < 0) throw new Error(`print.scss lacks the marker ${printMarker}`);
  const rules = css.slice(at + printMarker.length);
  const design = prune(css.slice(0, at), documentWords());
  // @font-face rules of families no rule names any more (the icon fonts)
  const fontFace = /@font-face{font-family:("[^"]+"|[\w-]+);[^}]*}/g;
  const named = design.replace(fontFace, "") + rules;
  const documents = design.replace(fontFace, (face, family) =>
    named.includes(family) || named.includes(family.replace(/"/g, "")) ? face : "",
  );
  return { print: rules, documents };
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

console.log(`static/build: portal.css, documents.css, print.css, ${referenced.size} ID-SK assets, scripts`);
