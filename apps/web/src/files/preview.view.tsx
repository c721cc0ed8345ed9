import { useEffect, useState } from 'preact/hooks';
import type { HostConnection } from '@hostlink/client-sdk';
import { mimeType, previewKind } from './file-list.js';
import type { PreviewCache } from './preview-cache.js';

interface Props {
  path: string;
  cache: PreviewCache;
  connection: HostConnection;
  onClose: () => void;
}

/**
 * Image, PDF or text preview from blob: URLs the page makes itself (the CSP allows no other source). The
 * blob's type is set here from the name (a PDF is only ever a PDF to the browser); text is shown as text,
 * never parsed as HTML, whatever the file holds.
 */
export function PreviewView({ path, cache, connection, onClose }: Props) {
  const name = path.split('/').pop() ?? path;
  const kind = previewKind(name);
  const [content, setContent] = useState<{ url?: string; text?: string; fromCache: boolean } | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    let url: string | undefined;
    cache.load(connection, path).then(
      ({ bytes, fromCache }) => {
        if (kind === 'text')
          return setContent({ text: new TextDecoder().decode(bytes.subarray(0, 1 << 20)), fromCache });
        url = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mimeType(name) }));
        setContent({ url, fromCache });
      },
      (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure)),
    );
    return () => url && URL.revokeObjectURL(url);
  }, [path]);
  return (
    <div
      class="preview"
      role="dialog"
      aria-modal="true"
      aria-label={name}
      onKeyDown={(event) => event.key === 'Escape' && onClose()}
    >
      <header>
        <span class="preview-name">{name}</span>
        {content && (
          <span class="badge" data-testid="preview-source">
            {content.fromCache ? 'from cache' : 'downloaded'}
          </span>
        )}
        <button type="button" class="secondary" onClick={onClose} data-testid="close-preview" autofocus>
          Close
        </button>
      </header>
      {error && <p class="error">{error}</p>}
      {!content && !error && <p>Loading…</p>}
      {content?.url && kind === 'image' && <img src={content.url} alt={name} data-testid="preview-image" />}
      {content?.url && kind === 'pdf' && <iframe src={content.url} title={name} />}
      {content?.text !== undefined && <pre data-testid="preview-text">{content.text}</pre>}
    </div>
  );
}
