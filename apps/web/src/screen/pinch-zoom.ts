import type { RefObject } from 'preact';
import { useEffect } from 'preact/hooks';

const MIN = 1;
const MAX = 4;

/**
 * Two-finger pinch zooms the screen (CSS scale around the pinch centre); one finger stays the host's
 * mouse, which noVNC handles itself.
 */
export function usePinchZoom(target: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const element = target.current;
    if (!element) return;
    let start = 0;
    let base = 1;
    let scale = 1;
    const distance = (touches: TouchList) =>
      Math.hypot(touches[0]!.clientX - touches[1]!.clientX, touches[0]!.clientY - touches[1]!.clientY);
    const onStart = (event: TouchEvent) => {
      if (event.touches.length !== 2) return;
      start = distance(event.touches);
      base = scale;
    };
    const onMove = (event: TouchEvent) => {
      if (event.touches.length !== 2 || start === 0) return;
      event.preventDefault();
      event.stopPropagation();
      scale = Math.min(MAX, Math.max(MIN, (base * distance(event.touches)) / start));
      element.style.transform = `scale(${scale})`;
    };
    const onEnd = () => (start = 0);
    element.addEventListener('touchstart', onStart, { capture: true, passive: true });
    element.addEventListener('touchmove', onMove, { capture: true, passive: false });
    element.addEventListener('touchend', onEnd, { capture: true });
    return () => {
      element.removeEventListener('touchstart', onStart, { capture: true });
      element.removeEventListener('touchmove', onMove, { capture: true });
      element.removeEventListener('touchend', onEnd, { capture: true });
    };
  }, [target]);
}
