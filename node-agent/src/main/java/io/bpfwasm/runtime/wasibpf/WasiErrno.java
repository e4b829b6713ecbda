package io.bpfwasm.runtime.wasibpf;

/**
 * WASI errno values, and the one place that translates Linux errno (and libbpf's own codes) into them. Guests are
 * compiled against wasi-libc, whose {@code errno.h} uses WASI numbering, so {@code err == -EINTR} in a guest means
 * -27, not Linux's -4. Every import returns {@code -WasiErrno} on failure.
 *
 * <p>Mapping (Linux → WASI): EPERM 1→63, ENOENT 2→44, ESRCH 3→71, EINTR 4→27, EIO 5→29, ENXIO 6→60, E2BIG 7→1,
 * ENOEXEC 8→45, EBADF 9→8, EAGAIN 11→6, ENOMEM 12→48, EACCES 13→2, EFAULT 14→21, EBUSY 16→10, EEXIST 17→20,
 * ENODEV 19→43, ENOTDIR 20→54, EISDIR 21→31, EINVAL 22→28, ENFILE 23→41, EMFILE 24→33, ENOTTY 25→59, EFBIG 27→22,
 * ENOSPC 28→51, ERANGE 34→68, EDEADLK 35→16, ENAMETOOLONG 36→37, ENOSYS 38→52, ENOTEMPTY 39→55, ELOOP 40→32,
 * ENOMSG 42→49, EBADMSG 74→9, EOVERFLOW 75→61, EOPNOTSUPP 95→58, ETIMEDOUT 110→72, EALREADY 114→7,
 * EINPROGRESS 115→26, ECANCELED 125→11, the kernel-internal ENOTSUPP 524→58; libbpf's own codes (4000–4099):
 * LIBBPF_ERRNO__VERIFY 4007→EACCES, LIBBPF_ERRNO__PROG2BIG 4006→E2BIG, the others (malformed object,
 * relocation, kernel version, ...) → EINVAL; anything else → EIO.
 */
public final class WasiErrno {
    public static final int E2BIG = 1;
    public static final int EACCES = 2;
    public static final int EAGAIN = 6;
    public static final int EALREADY = 7;
    public static final int EBADF = 8;
    public static final int EBADMSG = 9;
    public static final int EBUSY = 10;
    public static final int ECANCELED = 11;
    public static final int EDEADLK = 16;
    public static final int EEXIST = 20;
    public static final int EFAULT = 21;
    public static final int EFBIG = 22;
    public static final int EINPROGRESS = 26;
    public static final int EINTR = 27;
    public static final int EINVAL = 28;
    public static final int EIO = 29;
    public static final int EISDIR = 31;
    public static final int ELOOP = 32;
    public static final int EMFILE = 33;
    public static final int ENAMETOOLONG = 37;
    public static final int ENFILE = 41;
    public static final int ENODEV = 43;
    public static final int ENOENT = 44;
    public static final int ENOEXEC = 45;
    public static final int ENOMEM = 48;
    public static final int ENOMSG = 49;
    public static final int ENOSPC = 51;
    public static final int ENOSYS = 52;
    public static final int ENOTDIR = 54;
    public static final int ENOTEMPTY = 55;
    public static final int ENOTSUP = 58;
    public static final int ENOTTY = 59;
    public static final int ENXIO = 60;
    public static final int EOVERFLOW = 61;
    public static final int EPERM = 63;
    public static final int ERANGE = 68;
    public static final int ESRCH = 71;
    public static final int ETIMEDOUT = 72;

    private WasiErrno() {}

    /** The WASI errno for a positive Linux errno or libbpf error code. */
    public static int fromLinux(int linuxErrno) {
        return switch (linuxErrno) {
            case 1 -> EPERM;
            case 2 -> ENOENT;
            case 3 -> ESRCH;
            case 4 -> EINTR;
            case 5 -> EIO;
            case 6 -> ENXIO;
            case 7 -> E2BIG;
            case 8 -> ENOEXEC;
            case 9 -> EBADF;
            case 11 -> EAGAIN;
            case 12 -> ENOMEM;
            case 13 -> EACCES;
            case 14 -> EFAULT;
            case 16 -> EBUSY;
            case 17 -> EEXIST;
            case 19 -> ENODEV;
            case 20 -> ENOTDIR;
            case 21 -> EISDIR;
            case 22 -> EINVAL;
            case 23 -> ENFILE;
            case 24 -> EMFILE;
            case 25 -> ENOTTY;
            case 27 -> EFBIG;
            case 28 -> ENOSPC;
            case 34 -> ERANGE;
            case 35 -> EDEADLK;
            case 36 -> ENAMETOOLONG;
            case 38 -> ENOSYS;
            case 39 -> ENOTEMPTY;
            case 40 -> ELOOP;
            case 42 -> ENOMSG;
            case 74 -> EBADMSG;
            case 75 -> EOVERFLOW;
            case 95, 524 -> ENOTSUP;
            case 110 -> ETIMEDOUT;
            case 114 -> EALREADY;
            case 115 -> EINPROGRESS;
            case 125 -> ECANCELED;
            case 4007 -> EACCES;
            case 4006 -> E2BIG;
            default -> linuxErrno >= 4000 && linuxErrno < 4100 ? EINVAL : EIO;
        };
    }

    /** A negative Linux errno result (as the map operations return) as a negative WASI errno; others unchanged. */
    public static int fromLinuxResult(int result) {
        return result < 0 ? -fromLinux(-result) : result;
    }
}
