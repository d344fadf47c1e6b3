export function ComparePage(_props: { params: Record<string, string> }) {
  return <h1>ComparePage</h1>;
}
