export function DatasetsPage(_props: { params: Record<string, string> }) {
  return <h1>DatasetsPage</h1>;
}
