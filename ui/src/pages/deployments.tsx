export function DeploymentsPage(_props: { params: Record<string, string> }) {
  return <h1>DeploymentsPage</h1>;
}
