export function ExperimentsPage(_props: { params: Record<string, string> }) {
  return <h1>ExperimentsPage</h1>;
}
