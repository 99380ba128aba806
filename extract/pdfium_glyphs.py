"""A glyph's unscaled metrics, computed by FreeType once per face instead of once per char.

pdfium asks FreeType for a glyph's box twice for every char of a page whose code is 256 or
more (a Chinese char): once when the page is loaded (each text object's bounds), once when
its text page is (each char's box). It keeps no box of its own for those codes, and
FreeType keeps none either: each ask decodes the glyph's outline again, and for a CFF font
(the Noto CJK faces pdfium draws a non-embedded ``STSong-Light`` with) that is most of
pdfium's time on a Chinese report: a few thousand distinct glyphs asked for a million times.

:func:`install` puts a cache over the ``FT_Load_Glyph`` that pdfium's library calls (its
entry in the library's table of imported functions, resolved when the library was loaded,
made to point at the cache): a load of a glyph with ``FT_LOAD_NO_SCALE |
FT_LOAD_IGNORE_GLOBAL_ADVANCE_WIDTH`` (the only flags pdfium asks a glyph's box and width
with) is made once per face and glyph; later loads of it put the glyph's index and
metrics that load left in the face's glyph slot back, which is all pdfium reads after such
a load (``CFX_Face::GetCharBBox``, ``GetFontGlyphBBox``, ``GetGlyphWidth`` and
``CPDF_SimpleFont::LoadCharMetrics`` read the slot's metrics). Unscaled metrics depend on
the face and the glyph only: not on the face's size or transform. Every other load, and
every load on a face whose glyphs can vary (a multiple master or variation font: pdfium
sets a substituted Latin font's weight through its axes) or that FreeType hints anyway (a
"tricky" font), goes to FreeType as before. A face's entries go when pdfium closes it
(``FT_Done_Face``) or opens a face at its address (``FT_New_Memory_Face``).

So pdfium reads the same boxes: what is read does not change. When anything is not as
expected (not a Linux x86-64 build of pdfium, the table's entries not pointing at FreeType's
own functions, a glyph slot not laid out as FreeType 2 lays it out), nothing is installed or
the cache turns itself off, and pdfium runs as it would without it; so it does with
``XXGK_GLYPH_CACHE=0`` in the environment.
"""

from __future__ import annotations

import ctypes
import mmap
import os
import struct
from pathlib import Path
from typing import Any

NO_SCALE_FLAGS = 0x1 | 0x200  # FT_LOAD_NO_SCALE | FT_LOAD_IGNORE_GLOBAL_ADVANCE_WIDTH
_VARYING = (1 << 8) | (1 << 13)  # FT_FACE_FLAG_MULTIPLE_MASTERS, FT_FACE_FLAG_TRICKY
# FreeType 2's public records on a 64-bit machine (LP64): FT_FaceRec's face_flags and glyph,
# FT_GlyphSlotRec's face, glyph_index and metrics (FT_Glyph_Metrics: eight FT_Pos).
_FACE_FLAGS, _FACE_GLYPH = 16, 152
_SLOT_FACE, _SLOT_INDEX, _SLOT_METRICS, _METRICS_SIZE = 8, 24, 48, 64
_HOOKED = ("FT_Load_Glyph", "FT_Done_Face", "FT_New_Memory_Face")
# Other ways to make or share a face: a library that calls them is left alone.
_UNHOOKED = ("FT_Open_Face", "FT_New_Face", "FT_Reference_Face")

_LoadGlyph = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_uint, ctypes.c_int32)
_DoneFace = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p)
_NewMemoryFace = ctypes.CFUNCTYPE(
    ctypes.c_int,
    ctypes.c_void_p,
    ctypes.c_void_p,
    ctypes.c_long,
    ctypes.c_long,
    ctypes.POINTER(ctypes.c_void_p),
)


class _Face:
    """A face's glyph slot, seen where FreeType's records keep it, and its glyphs' metrics."""

    def __init__(self, face: int, slot: int) -> None:
        self.slot = slot
        self.glyph = ctypes.c_void_p.from_address(face + _FACE_GLYPH)  # the face's slot
        self.index = ctypes.c_uint.from_address(slot + _SLOT_INDEX)
        self.metrics = (ctypes.c_char * _METRICS_SIZE).from_address(slot + _SLOT_METRICS)
        self.glyphs: dict[int, bytes] = {}  # glyph index -> its metrics


class GlyphCache:
    """The metrics of each (face, glyph) loaded unscaled, and the hooks that keep them."""

    def __init__(self, load: Any, done: Any, new: Any) -> None:
        self._load, self._done, self._new = load, done, new  # FreeType's own functions
        self.faces: dict[int, _Face] = {}
        self.varying: set[int] = set()  # faces whose glyphs are never cached
        self.on = True
        self.hits = 0  # unscaled loads answered from the cache
        # The C entry points (kept referenced for as long as the library may call them).
        self.hooks = (_LoadGlyph(self.load), _DoneFace(self.done), _NewMemoryFace(self.new))

    def load(self, face: int | None, index: int, flags: int) -> int:
        """FT_Load_Glyph: the cached metrics of an unscaled load, FreeType's load otherwise."""
        if flags != NO_SCALE_FLAGS or not face or not self.on:
            return int(self._load(face, index, flags))
        seen = self.faces.get(face)
        if seen is not None:
            metrics = seen.glyphs.get(index)
            if metrics is not None and seen.glyph.value == seen.slot:
                seen.index.value = index
                seen.metrics.raw = metrics
                self.hits += 1
                return 0
        error = int(self._load(face, index, flags))
        if not error and face not in self.varying:
            try:
                self._keep(face, index)
            except Exception:  # never answer from a cache in doubt
                self.on = False
        return error

    def _keep(self, face: int, index: int) -> None:
        """Keep the metrics FreeType just loaded for a face's glyph (none for a face whose
        glyphs can vary, and none ever again when the slot is not laid out as expected)."""
        seen = self.faces.get(face)
        if seen is None:
            if ctypes.c_long.from_address(face + _FACE_FLAGS).value & _VARYING:
                self.varying.add(face)
                return
            slot = ctypes.c_void_p.from_address(face + _FACE_GLYPH).value
            if not slot or ctypes.c_void_p.from_address(slot + _SLOT_FACE).value != face:
                self.on = False  # not the layout this module reads: leave FreeType alone
                return
            seen = self.faces[face] = _Face(face, slot)
        if seen.glyph.value != seen.slot or seen.index.value != index:
            self.on = False
            return
        seen.glyphs[index] = seen.metrics.raw

    def forget(self, face: int) -> None:
        self.faces.pop(face, None)
        self.varying.discard(face)

    def done(self, face: int | None) -> int:
        """FT_Done_Face: the face's entries go with it."""
        if face:
            self.forget(face)
        return int(self._done(face))

    def new(self, library: int | None, base: int | None, size: int, index: int, out: Any) -> int:
        """FT_New_Memory_Face: a face opened where a closed one was starts with no entries."""
        error = int(self._new(library, base, size, index, out))
        if not error and out and out[0]:
            self.forget(out[0])
        return error


_installed: GlyphCache | None = None
_alive: list[GlyphCache] = []  # every cache whose entry points the library may call


def install() -> GlyphCache | None:
    """Put the cache over pdfium's FreeType glyph loads, once per process; return it, or None
    when this pdfium library cannot take it (pdfium then runs unchanged)."""
    global _installed
    if _installed is None and os.environ.get("XXGK_GLYPH_CACHE", "1") != "0":
        try:
            _installed = _install()
        except Exception:  # not this kind of library: pdfium runs unchanged
            _installed = None
    return _installed


def _install() -> GlyphCache | None:
    import pypdfium2.raw  # noqa: F401  # loads the library

    path, base = _loaded_library("libpdfium")
    slots, symbols = _imports(path, _HOOKED + _UNHOOKED)
    if any(name in slots for name in _UNHOOKED):
        return None  # faces made or shared otherwise: their closing would go unseen
    if set(slots) != set(_HOOKED) or not set(_HOOKED) <= set(symbols):
        return None
    own = {name: base + symbols[name] for name in _HOOKED}
    if any(ctypes.c_void_p.from_address(base + slots[n]).value != own[n] for n in _HOOKED):
        return None  # an entry points elsewhere: not FreeType's own function, leave it
    cache = GlyphCache(
        _LoadGlyph(own["FT_Load_Glyph"]),
        _DoneFace(own["FT_Done_Face"]),
        _NewMemoryFace(own["FT_New_Memory_Face"]),
    )
    _alive.append(cache)  # its entry points stay valid whatever happens below
    hooks = dict(zip(_HOOKED, cache.hooks, strict=True))
    # FT_Load_Glyph last: no glyph is cached before closed faces are forgotten.
    for name in ("FT_Done_Face", "FT_New_Memory_Face", "FT_Load_Glyph"):
        _write_pointer(base + slots[name], ctypes.cast(hooks[name], ctypes.c_void_p).value or 0)
    return cache


def _loaded_library(stem: str) -> tuple[Path, int]:
    """Given the start of a shared library's file name, return its path and the address it
    is loaded at (its first mapping, at file offset 0)."""
    with open("/proc/self/maps") as fh:
        for line in fh:
            fields = line.split()
            if len(fields) >= 6 and Path(fields[5]).name.startswith(stem) and fields[2] == "0" * 8:
                return Path(fields[5]), int(fields[0].split("-")[0], 16)
    raise OSError(f"{stem} is not loaded")


def _imports(path: Path, names: tuple[str, ...]) -> tuple[dict[str, int], dict[str, int]]:
    """Given a 64-bit little-endian ELF shared library and function names, return where the
    library keeps the address it calls each by (``R_X86_64_JUMP_SLOT`` relocations' offsets)
    and where the library defines each (the symbols' values), both from its load address."""
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as elf:
        if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
            raise ValueError("not a 64-bit little-endian ELF file")
        (machine,) = struct.unpack_from("<H", elf, 18)
        if machine != 62:  # EM_X86_64: the relocation type below is x86-64's
            raise ValueError("not an x86-64 library")
        (shoff,) = struct.unpack_from("<Q", elf, 40)
        shentsize, shnum = struct.unpack_from("<HH", elf, 58)
        sections = [
            struct.unpack_from("<IIQQQQIIQQ", elf, shoff + i * shentsize) for i in range(shnum)
        ]
        dynsyms = [s for s in sections if s[1] == 11]  # SHT_DYNSYM
        if not dynsyms:
            raise ValueError("no dynamic symbols")
        dynsym = dynsyms[0]
        strtab = sections[dynsym[6]]
        wanted = set(names)

        def symbol(index: int) -> tuple[str, int]:
            name_at, _, _, _, value, _ = struct.unpack_from("<IBBHQQ", elf, dynsym[4] + index * 24)
            start = strtab[4] + name_at
            return elf[start : elf.find(b"\0", start)].decode(), value

        slots: dict[str, int] = {}
        for section in sections:
            if section[1] != 4:  # SHT_RELA
                continue
            for at in range(section[4], section[4] + section[5], 24):
                offset, info, _ = struct.unpack_from("<QQq", elf, at)
                if info & 0xFFFFFFFF == 7:  # R_X86_64_JUMP_SLOT
                    name, _ = symbol(info >> 32)
                    if name in wanted:
                        slots[name] = offset
        count = dynsym[5] // 24
        symbols = {}
        for i in range(1, count):
            name, value = symbol(i)
            if name in wanted and value:
                symbols[name] = value
    return slots, symbols


def _write_pointer(address: int, value: int) -> None:
    """Write a pointer into a library's table of imported functions, made writable for the
    write (it is read-only once the library is loaded) and given its own access back after."""
    page = mmap.PAGESIZE
    start = address & ~(page - 1)
    length = address + 8 - start
    access = _access(address)
    libc = ctypes.CDLL(None, use_errno=True)
    mprotect = libc.mprotect
    mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    if mprotect(start, length, access | 0x2):  # and PROT_WRITE
        raise OSError(ctypes.get_errno(), "mprotect")
    ctypes.c_void_p.from_address(address).value = value
    mprotect(start, length, access)


def _access(address: int) -> int:
    """Given an address of this process, return its mapping's PROT_ bits (read, write, exec)."""
    with open("/proc/self/maps") as fh:
        for line in fh:
            span, perms = line.split()[:2]
            low, high = (int(x, 16) for x in span.split("-"))
            if low <= address < high:
                return (perms[0] == "r") * 0x1 | (perms[1] == "w") * 0x2 | (perms[2] == "x") * 0x4
    raise OSError(f"no mapping holds {address:#x}")
