export function DeploymentPage(_props: { params: Record<string, string> }) {
  return <h1>DeploymentPage</h1>;
}
