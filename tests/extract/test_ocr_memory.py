"""Memory of OCR in a worker: what onnxruntime frees goes back to the system after every
detection and once a page's recognition is done, and a scanned PDF's pages are rendered one at a time, each let go once read
(issue 20: 2 workers OCR'ing scans within 1.5 GB)."""

import sys
import weakref

import numpy as np
import pytest
from PIL import Image

from extract import memory, ocr, scanned
from flows import workers


def rss_mib() -> float:
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc, trims glibc")
def test_release_memory_gives_freed_heap_back():
    if memory._malloc_trim() is None:
        pytest.skip("no glibc malloc_trim")
    chunks = [bytearray(100_000) for _ in range(2000)]  # 200 MB on the heap, under mmap's
    pin = bytearray(100_000)  # threshold; one chunk above them: the heap cannot shrink
    del chunks
    held = rss_mib()
    assert memory.release_memory()
    assert held - rss_mib() > 150
    del pin


def test_detection_gives_its_memory_back_and_recognition_keeps_it_until_the_page_is_read(
    monkeypatch,
):
    engine = ocr.ocr_engine()
    assert isinstance(engine.text_det.infer.session, memory.ReleasingSession)
    assert engine.text_det.infer.session.turns  # detection takes turns among workers
    recognition = engine.text_rec.session.session
    assert isinstance(recognition, memory.ArenaSession)
    assert recognition.session.get_session_options().enable_cpu_mem_arena
    assert engine.text_cls is None  # never used: no classifier session held
    released, shrunk = [], []
    monkeypatch.setattr(memory, "release_memory", lambda: released.append(1) or True)
    monkeypatch.setattr(recognition, "shrink", lambda: shrunk.append(1))
    crop = np.full((32, 120), 255, np.uint8)
    crop[8:24, 20:100] = 0
    ocr._read_crops([crop])
    assert not released and not shrunk  # kept for the page's next runs
    engine(np.full((64, 256, 3), 255, np.uint8), use_cls=False, use_rec=False)
    assert released
    page = np.full((200, 300), 255, np.uint8)
    page[90:110, 40:260] = 0
    ocr.image_to_words(Image.fromarray(page), 1, 1.0)
    assert shrunk == [1]  # once the page is read


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_recognitions_kept_memory_is_given_back_once_the_page_is_read():
    recognition = ocr.ocr_engine().text_rec.session.session
    feed = {recognition.get_inputs()[0].name: np.zeros((6, 3, 48, 1600), np.float32)}
    for _ in range(2):  # six full-width lines of prose: some 200 MiB (the first run of a
        recognition.run(None, feed)  # shape plans its memory pattern, the second uses it)
    held = rss_mib()
    recognition.run(None, feed)
    assert rss_mib() - held < 20  # a run reuses what the runs before it left in the arena
    ocr.page_read()
    assert held - rss_mib() > 100


def test_a_session_gives_memory_back_before_its_run_and_after_it(monkeypatch):
    released = []
    monkeypatch.setattr(memory, "release_memory", lambda: released.append(1) or True)

    class Session:  # an onnxruntime InferenceSession, as RapidOCR calls it
        def run(self, outputs, feed):
            return len(released), feed["x"]  # what had been given back when it ran

        def get_inputs(self):
            return ["x"]

    session = memory.ReleasingSession(Session())
    assert session.run(None, {"x": 7}) == (1, 7)  # the heap the page's images freed
    assert len(released) == 2  # and what the run freed
    assert session.get_inputs() == ["x"]


class Lock:  # multiprocessing's, as the pool shares it; free unless a killed worker held it
    def __init__(self, free=True):
        self.free, self.held, self.waits = free, False, []

    def acquire(self, timeout):
        self.waits.append(timeout)
        self.held = self.free
        return self.free

    def release(self):
        assert self.held
        self.held = False


class Session:
    def __init__(self, lock):
        self.lock = lock

    def run(self, outputs, feed):
        return self.lock.held


def test_a_detection_runs_in_its_turn_among_the_workers(monkeypatch):
    lock = Lock()
    monkeypatch.setattr(memory, "_turns", None)
    memory.take_turns(lock)
    assert memory.ReleasingSession(Session(lock), turns=True).run(None, {}) is True
    assert not lock.held  # given back once run
    assert memory.ReleasingSession(Session(lock)).run(None, {}) is False  # recognition
    assert lock.waits == [memory.TURN_WAIT]


def test_a_turn_never_given_back_delays_a_run_but_never_stops_it(monkeypatch):
    lock = Lock(free=False)  # its holder was killed mid-run
    monkeypatch.setattr(memory, "_turns", lock)
    assert memory.ReleasingSession(Session(lock), turns=True).run(None, {}) is False
    assert lock.waits == [memory.TURN_WAIT]


def test_a_worker_takes_turns_with_the_pools_lock(monkeypatch):
    monkeypatch.setattr(memory, "_turns", None)
    lock = Lock()
    workers.start_worker(0, 0, lock)
    assert memory._turns is lock


def test_a_scanned_pdf_is_rendered_a_page_at_a_time(monkeypatch):
    alive: list[weakref.ref] = []
    seen = []

    class Image:  # a rendered page image, as pdfium's bitmap gives it
        pass

    class Page:
        def render(self, scale):
            return self

        def to_pil(self):
            image = Image()
            alive.append(weakref.ref(image))
            return image

    class Doc:
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return Page()

    def read(image, page, scale):
        seen.append(sum(ref() is not None for ref in alive))
        return page

    monkeypatch.setattr(scanned, "image_to_words", read)
    assert scanned.pdf_pages_to_words(Doc()) == [1, 2, 3]
    assert seen == [1, 1, 1]  # each page read with its own image alone in memory
    assert all(ref() is None for ref in alive)


def test_a_worker_gives_memory_back_after_each_document(monkeypatch, tmp_path):
    released = []
    monkeypatch.setattr(memory, "release_memory", lambda: released.append(1) or True)
    path = tmp_path / "empty.txt"
    path.write_text("")
    job = workers.Job(str(path), str(path), "empty.txt", "0" * 64, {})
    workers.run_job(job)
    assert released
