import { useEffect, useRef, useState } from 'preact/hooks';
import RFB from '@novnc/novnc';
import type { HostConnection } from '@hostlink/client-sdk';
import { RfbChannel } from './rfb-channel.js';
import { ScreenToolbar } from './screen-toolbar.js';
import { usePinchZoom } from './pinch-zoom.js';

export type ScreenState = 'connecting' | 'connected' | 'disconnected';

/**
 * The host's screen through noVNC over a channel stream. Fit-to-window by default; pinch zooms on touch;
 * keyboard and pointer go to the host; the clipboard crosses only when the policy allows it.
 */
export function ScreenView({ connection }: { connection: HostConnection }) {
  const target = useRef<HTMLDivElement>(null);
  const [rfb, setRfb] = useState<RFB | null>(null);
  const [state, setState] = useState<ScreenState>('connecting');
  const [error, setError] = useState('');
  const clipboard = connection.policy.clipboard;
  usePinchZoom(target);
  useEffect(() => {
    let viewer: RFB | null = null;
    let cancelled = false;
    connection.desktop.openScreen().then(
      (stream) => {
        if (cancelled) return stream.reset('closed');
        viewer = new RFB(target.current!, new RfbChannel(stream), { shared: true });
        viewer.scaleViewport = true;
        viewer.background = '#111';
        viewer.addEventListener('connect', () => setState('connected'));
        viewer.addEventListener('disconnect', () => setState('disconnected'));
        viewer.addEventListener('clipboard', (event) => clipboard && void copyToLocal(event));
        setRfb(viewer);
      },
      (failure: unknown) => {
        setState('disconnected');
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
    return () => {
      cancelled = true;
      viewer?.disconnect();
    };
  }, [connection]);
  return (
    <section class="screen" data-testid="screen" data-state={state}>
      <ScreenToolbar rfb={rfb} target={target} clipboard={clipboard} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <div class="screen-target" ref={target} data-testid="screen-target" />
    </section>
  );
}

/** The host copied text: put it on this device's clipboard (the browser may ask the user first). */
async function copyToLocal(event: Event): Promise<void> {
  const text = (event as CustomEvent<{ text: string }>).detail.text;
  await navigator.clipboard?.writeText(text).catch(() => undefined);
}
