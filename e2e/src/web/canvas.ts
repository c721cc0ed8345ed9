import type { Page } from 'playwright-core';

/** One pixel of noVNC's canvas, in framebuffer coordinates (the canvas is the host's screen size). */
export async function canvasPixel(page: Page, x: number, y: number): Promise<number[]> {
  return page
    .locator('[data-testid=screen-target] canvas')
    .evaluate(
      (canvas: HTMLCanvasElement, [px, py]) => [
        ...canvas.getContext('2d')!.getImageData(px!, py!, 1, 1).data.slice(0, 3),
      ],
      [x, y],
    );
}

/** Waits, frame by frame in the page, until the pixel shows the colour (within a small tolerance). */
export async function waitForCanvasColor(
  page: Page,
  x: number,
  y: number,
  rgb: readonly number[],
  timeoutMs = 10_000,
): Promise<void> {
  await page.waitForFunction(
    ([px, py, r, g, b]) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=screen-target] canvas');
      const data = canvas?.getContext('2d')?.getImageData(px!, py!, 1, 1).data;
      return (
        !!data && Math.abs(data[0]! - r!) < 8 && Math.abs(data[1]! - g!) < 8 && Math.abs(data[2]! - b!) < 8
      );
    },
    [x, y, ...rgb],
    { timeout: timeoutMs, polling: 'raf' },
  );
}

/** How many times the pixel's colour changed, sampled at every animation frame for `durationMs`. */
export async function countCanvasChanges(
  page: Page,
  x: number,
  y: number,
  durationMs: number,
): Promise<number> {
  return page.evaluate(
    async ([px, py, ms]) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid=screen-target] canvas')!;
      const context = canvas.getContext('2d')!;
      let changes = 0;
      let last = '';
      const end = performance.now() + ms!;
      while (performance.now() < end) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const key = context.getImageData(px!, py!, 1, 1).data.slice(0, 3).join(',');
        if (key !== last && last !== '') changes += 1;
        last = key;
      }
      return changes;
    },
    [x, y, durationMs],
  );
}
