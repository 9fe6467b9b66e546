{
  "targets": [
    {
      "target_name": "kforensics",
      "sources": ["native/kforensics.c", "native/scan_call.c", "native/kafka_scan.c", "native/dump_scan.c"],
      "cflags": ["-O3", "-std=gnu11", "-Wall", "-Wextra"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
