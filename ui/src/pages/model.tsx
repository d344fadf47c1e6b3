export function ModelPage(_props: { params: Record<string, string> }) {
  return <h1>ModelPage</h1>;
}
