/*
 * The loopback limit for bench/gateway.ts: the smallest HTTP/1.1 server that sends one file with
 * sendfile(2) (no copy through user space), one connection at a time, with Content-Length. It listens
 * on 127.0.0.1 at a free port, prints the port, and serves `argv[1]` to every request until killed.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  int ls = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (bind(ls, (struct sockaddr *)&addr, sizeof addr) || listen(ls, 16) || getsockname(ls, (struct sockaddr *)&addr, &len)) return 1;
  printf("%d\n", ntohs(addr.sin_port));
  fflush(stdout);
  for (;;) {
    int c = accept(ls, 0, 0);
    if (c < 0) continue;
    char req[8192];
    if (read(c, req, sizeof req) <= 0) { close(c); continue; }
    int fd = open(argv[1], O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) { close(c); continue; }
    char head[256];
    int n = snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: %lld\r\nConnection: close\r\n\r\n", (long long)st.st_size);
    if (write(c, head, n) == n) {
      off_t off = 0;
      while (off < st.st_size && sendfile(c, fd, &off, st.st_size - off) > 0) {}
    }
    close(fd);
    close(c);
  }
}
