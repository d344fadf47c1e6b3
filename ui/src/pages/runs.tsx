export function RunsPage(_props: { params: Record<string, string> }) {
  return <h1>RunsPage</h1>;
}
