// Log lines, topic names and container names reach the webviews (media/*.js) from the host: those
// scripts must only ever set text (textContent, createTextNode), never parse HTML.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const MEDIA = path.join(__dirname, '..', '..', '..', '..', 'media');
const HTML_SINKS = /\b(innerHTML|outerHTML|insertAdjacentHTML|document\.write|createContextualFragment|DOMParser|srcdoc)\b|\beval\s*\(|new Function\b/;

describe('webview scripts set text, never HTML', () => {
  const scripts = fs.readdirSync(MEDIA).filter((f) => f.endsWith('.js'));

  it('there are webview scripts to check', () => {
    assert.ok(scripts.includes('logPane.js'), `media/ has ${scripts.join(', ')}`);
  });

  for (const file of scripts) {
    it(`${file} uses no HTML sink`, () => {
      const code = fs.readFileSync(path.join(MEDIA, file), 'utf8').replace(/^\s*\/\/.*$/gm, '');
      const hit = HTML_SINKS.exec(code);
      assert.equal(hit, null, `${file} uses ${hit?.[0]}: set textContent instead`);
      assert.match(code, /textContent|createTextNode/);
    });
  }
});
