import type { RefObject } from 'preact';
import { useState } from 'preact/hooks';
import type RFB from '@novnc/novnc';

interface Props {
  rfb: RFB | null;
  target: RefObject<HTMLDivElement | null>;
  clipboard: boolean;
}

/** Full screen, fit or 1:1, the on-screen keyboard on touch devices, paste to the host, Ctrl-Alt-Del. */
export function ScreenToolbar({ rfb, target, clipboard }: Props) {
  const [fit, setFit] = useState(true);
  const [typing, setTyping] = useState('');
  const toggleFit = () => {
    if (rfb) rfb.scaleViewport = !fit;
    if (rfb) rfb.clipViewport = fit;
    setFit(!fit);
  };
  const fullScreen = () => void target.current?.parentElement?.requestFullscreen?.().catch(() => undefined);
  const paste = async () => {
    const text = await navigator.clipboard?.readText().catch(() => '');
    if (text) rfb?.clipboardPasteFrom(text);
  };
  return (
    <div class="toolbar screen-toolbar">
      <button type="button" class="secondary" onClick={fullScreen}>
        Full screen
      </button>
      <button type="button" class="secondary" onClick={toggleFit} aria-pressed={fit}>
        {fit ? 'Actual size' : 'Fit to window'}
      </button>
      <label class="button secondary keyboard-toggle">
        ⌨ Keyboard
        {/* Focusing a text field opens the touch keyboard; what is typed goes to the host key by key. */}
        <input
          class="keyboard-input"
          aria-label="Type on the host"
          autocapitalize="off"
          autocomplete="off"
          value={typing}
          onInput={(event) => {
            const text = event.currentTarget.value;
            for (const char of text) rfb?.sendKey(char.codePointAt(0)!, null);
            setTyping('');
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter') rfb?.sendKey(0xff0d, 'Enter');
            if (event.key === 'Backspace') rfb?.sendKey(0xff08, 'Backspace');
          }}
        />
      </label>
      {clipboard && (
        <button type="button" class="secondary" onClick={() => void paste()}>
          Paste to host
        </button>
      )}
      <button type="button" class="secondary" onClick={() => rfb?.sendCtrlAltDel()}>
        Ctrl-Alt-Del
      </button>
    </div>
  );
}
