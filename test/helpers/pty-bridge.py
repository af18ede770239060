# Runs a command in a real pseudo-terminal of a fixed size and relays it over pipes, so tests
# can drive a TTY program with no native Node addon. Usage: pty-bridge.py COLS ROWS CMD...
import fcntl, os, pty, select, signal, struct, sys, termios

cols, rows, cmd = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGTERM))
stdin_open = True
while True:
    fds = [fd] + ([0] if stdin_open else [])
    try:
        ready, _, _ = select.select(fds, [], [], 0.05)
    except InterruptedError:
        continue
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        if not data:
            break
        os.write(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if not data:
            stdin_open = False
        else:
            os.write(fd, data)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if hasattr(os, "waitstatus_to_exitcode") else status >> 8)
