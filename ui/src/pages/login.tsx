import { useId, useState } from 'react';
import { setToken } from '../api.js';
import { ErrorBox } from '../components/ui.js';
import { GyreClient } from '../sdk.js';

/** Authentication is on: the UI uses an API token like any other client. */
export function LoginPage() {
  const [token, setValue] = useState('');
  const [error, setError] = useState<unknown>();
  const id = useId();
  const submit = async () => {
    setError(undefined);
    try {
      const probe = new GyreClient({ baseUrl: window.location.origin, token: token.trim() });
      await probe.http.request('GET', '/api/v1/whoami');
      setToken(token.trim());
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div className="login">
      <h1>Sign in to Gyre</h1>
      <p>
        This server requires authentication. Paste an API token (an admin makes one with{' '}
        <code>gyre tokens create --name you --role editor</code>).
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label htmlFor={id}>API token</label>
        <input
          id={id}
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(e) => setValue(e.target.value)}
          required
        />
        <ErrorBox error={error} />
        <button type="submit" className="primary">
          Sign in
        </button>
      </form>
    </div>
  );
}
