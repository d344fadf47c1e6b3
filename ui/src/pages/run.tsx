export function RunPage(_props: { params: Record<string, string> }) {
  return <h1>RunPage</h1>;
}
