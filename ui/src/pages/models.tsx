export function ModelsPage(_props: { params: Record<string, string> }) {
  return <h1>ModelsPage</h1>;
}
