import { useState } from 'preact/hooks';
import type { HostView } from '@hostlink/protocol';
import { formText } from '../ui/form-text.js';

interface Props {
  host: HostView;
  error: string;
  saved: string | undefined;
  onSubmit: (password: string, remember: boolean) => Promise<void>;
  onCancel: () => void;
}

/** The host password goes only into the encrypted channel, to the agent; servers never see it. */
export function PasswordPrompt({ host, error, saved, onSubmit, onCancel }: Props) {
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    setBusy(true);
    await onSubmit(formText(form, 'password'), form.get('remember') === 'on');
    setBusy(false);
  };
  return (
    <main class="sign-in">
      <form class="card" onSubmit={(event) => void submit(event)}>
        <h1>
          Open <span data-testid="prompt-host-name">{host.name}</span>
        </h1>
        <label>
          Host password
          <input
            name="password"
            type="password"
            autocomplete="off"
            defaultValue={saved ?? ''}
            required
            autofocus
          />
        </label>
        <label class="check">
          <input name="remember" type="checkbox" defaultChecked={saved !== undefined} /> Remember until I sign
          out (only if the host's policy allows it)
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="row">
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" disabled={busy} data-testid="connect">
            {busy ? 'Connecting…' : 'Connect'}
          </button>
        </div>
      </form>
    </main>
  );
}
