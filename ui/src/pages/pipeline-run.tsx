export function PipelineRunPage(_props: { params: Record<string, string> }) {
  return <h1>PipelineRunPage</h1>;
}
