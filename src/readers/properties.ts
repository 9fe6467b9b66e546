/** A Java properties file (server.properties, zookeeper.properties, zoo.cfg). */
export interface Properties {
  values: Map<string, { value: string; line: number }>;
}

export function parseProperties(lines: readonly string[]): Properties {
  const values = new Map<string, { value: string; line: number }>();
  lines.forEach((raw, i) => {
    const text = raw.trim();
    if (text === '' || text.startsWith('#') || text.startsWith('!')) return;
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(text);
    if (m) values.set(m[1]!, { value: m[2]!.trim(), line: i + 1 });
  });
  return { values };
}

/** `server.N=host:2888:3888` entries: the address each ZooKeeper id answers on. */
export function zookeeperServers(props: Properties): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, { value }] of props.values) {
    const m = /^server\.(\d+)$/.exec(key);
    if (!m) continue;
    const host = value.split(/[:;]/)[0]!.trim();
    out.set(host, m[1]!);
  }
  return out;
}
