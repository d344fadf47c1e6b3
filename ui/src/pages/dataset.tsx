export function DatasetPage(_props: { params: Record<string, string> }) {
  return <h1>DatasetPage</h1>;
}
