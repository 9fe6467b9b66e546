// Pin a non-UTC zone for every test process: UTC would hide a missing
// conversion, because UTC is what a careless parser assumes. Kafka logs carry
// no zone; only --tz may decide how they are read.
export default function setup(): void {
  process.env.TZ = 'America/Sao_Paulo';
}
