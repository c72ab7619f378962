"""What the build's two preparation scripts share (site_src/pyodide_prepare.mjs and
site_src/batch_prepare.mjs, both run by Pyodide under Node): sourceless, unchecked-hash .pyc
files compiled by the browser's own Python, reproducible zip entries, and a wheel precompiled
(each .py a .pyc where it was, RECORD updated). Imports only what those scripts import already:
they keep the standard-library modules found in sys.modules."""
import base64
import hashlib
import importlib.util
import zipfile
from importlib._bootstrap_external import _code_to_hash_pyc


# Imported while Pyodide boots, but only where their absence is provided for (`try: import ssl
# except ImportError`, in asyncio, zipfile and shutil): TLS, and the bz2, xz and zstd codecs. The
# checker and the batch page use none of them (an .xlsx is deflated); left out of the standard
# library the site serves, they are not imported at every start (about 12 modules, 60 ms of the
# boot under Node).
LEFT_OUT = ("ssl", "bz2", "lzma", "compression.zstd")


def left_out(mod):
    """Whether mod is one of LEFT_OUT or inside one of them."""
    return any(mod == name or mod.startswith(name + ".") for name in LEFT_OUT)


def sources_in(names):
    """mod -> the path of its source in a zip's names (package or module), or None."""
    def source_of(mod):
        base = mod.replace(".", "/")
        for cand in (base + "/__init__.py", base + ".py"):
            if cand in names:
                return cand
        return None
    return source_of


def pyc(src_bytes, filename):
    code = compile(src_bytes, filename, "exec", dont_inherit=True, optimize=0)
    return _code_to_hash_pyc(code, importlib.util.source_hash(src_bytes), checked=False)


def entry(name, like=None):
    """A zip entry of fixed date; directories stored, files deflated; like's permissions."""
    zi = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    zi.compress_type = zipfile.ZIP_STORED if name.endswith("/") else zipfile.ZIP_DEFLATED
    zi.external_attr = like.external_attr if like else 0o644 << 16
    return zi


def precompile_wheel(src_path, out_path):
    """The wheel at src_path with each .py a sourceless .pyc where it was, RECORD made anew."""
    src = zipfile.ZipFile(src_path)
    files = {}
    for info in src.infolist():
        data = src.read(info)
        if info.filename.endswith(".py"):
            files[info.filename[:-3] + ".pyc"] = (pyc(data, info.filename), info)
        else:
            files[info.filename] = (data, info)
    record = next(n for n in files if n.endswith(".dist-info/RECORD"))
    lines = []
    for n, (data, _) in files.items():
        if n != record:
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            lines.append(f"{n},sha256={digest},{len(data)}")
    lines.append(f"{record},,")
    files[record] = (("\n".join(lines) + "\n").encode(), files[record][1])
    out = zipfile.ZipFile(out_path, "w", compresslevel=9)
    for n, (data, info) in files.items():
        out.writestr(entry(n, info), data)
    out.close()
