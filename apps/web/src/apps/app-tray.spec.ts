import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppTray, iconImage } from './app-tray.js';

const memory = () => {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
  };
};

test('every app is in the tray until the user hides it, per host', () => {
  const tray = new AppTray(memory());
  const apps = [
    { id: 'a', name: 'A' },
    { id: 'b', name: 'B' },
  ];
  assert.equal(tray.visible('h1', apps).length, 2);
  tray.toggle('h1', 'a');
  assert.deepEqual(
    tray.visible('h1', apps).map((app) => app.id),
    ['b'],
  );
  assert.equal(tray.visible('h2', apps).length, 2);
  tray.toggle('h1', 'a');
  assert.equal(tray.visible('h1', apps).length, 2);
});

test('only data: images of known types become <img>; anything else is text', () => {
  assert.equal(iconImage('data:image/png;base64,iVBORw0KGgo='), 'data:image/png;base64,iVBORw0KGgo=');
  assert.equal(iconImage('javascript:alert(1)'), null);
  assert.equal(iconImage('data:text/html;base64,PHNjcmlwdD4='), null);
  assert.equal(iconImage('✍'), null);
});
