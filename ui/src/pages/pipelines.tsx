export function PipelinesPage(_props: { params: Record<string, string> }) {
  return <h1>Pipelines</h1>;
}
export function PipelinePage(_props: { params: Record<string, string> }) {
  return <h1>Pipeline</h1>;
}
