export function MonitoringPage(_props: { params: Record<string, string> }) {
  return <h1>Monitoring</h1>;
}
export function AlertPage(_props: { params: Record<string, string> }) {
  return <h1>Alert</h1>;
}
