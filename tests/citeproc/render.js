// Render CSL-JSON items with citeproc-js (the npm package `citeproc`, the engine Zotero uses)
// and the official Chicago 17th styles in styles/: for each item, the first note of the
// full-note style, the first note of the shortened-note style and the bibliography entry.
// Usage: node render.js < items.json > rendered.json   ({"id": {note, short, bibliography}})
'use strict';
const fs = require('fs');
const path = require('path');
const CSL = require('citeproc');

const here = path.join(__dirname, 'styles');
const read = (name) => fs.readFileSync(path.join(here, name), 'utf8');
const locale = read('locales-en-US.xml');
const styles = {
  full: read('chicago-notes-bibliography-17th-edition.csl'),
  short: read('chicago-shortened-notes-bibliography-17th-edition.csl'),
};

// One engine per style (compiling a style takes seconds); each item is cited alone: the
// registry holds that item only, so it is a first citation and nothing is disambiguated
// against another document.
function engine(style, items) {
  const byId = new Map(items.map((item) => [item.id, item]));
  const sys = { retrieveLocale: () => locale, retrieveItem: (id) => byId.get(id) };
  const e = new CSL.Engine(sys, style, 'en-US', true);
  e.setOutputFormat('text');
  return e;
}

function firstNote(e, item) {
  e.updateItems([item.id]);
  const citation = { citationItems: [{ id: item.id }], properties: { noteIndex: 1 } };
  const [, result] = e.processCitationCluster(citation, [], []);
  return result.map((r) => r[1]).join('');
}

function bibliography(e, item) {
  e.updateItems([item.id]);
  const made = e.makeBibliography();
  return made ? made[1].join('').trim() : '';
}

const items = JSON.parse(fs.readFileSync(0, 'utf8'));
const full = engine(styles.full, items);
const short = engine(styles.short, items);
const out = {};
for (const item of items) {
  out[item.id] = { note: firstNote(full, item), short: firstNote(short, item), bibliography: bibliography(full, item) };
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
