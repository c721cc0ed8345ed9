{
  "targets": [
    {
      "target_name": "socket_splice",
      "conditions": [["OS=='linux'", { "sources": ["native/socket-splice.cc", "native/websocket-forward.cc"] }]],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra"]
    }
  ]
}
