"""Trace memory allocations: snapshots and statistics per source line.

The tracing itself is the C module _tracemalloc (src/lang/mod_tracemalloc.c):
every block of tally's private heap allocated while tracing is attributed to
the Python line (and callers, up to the traceback limit) that allocated it,
with the block's real size. This file gives CPython's Python-level API over
the raw traces: Snapshot, Statistic, StatisticDiff, Traceback, Frame, Trace.
"""

from _tracemalloc import (start, stop, is_tracing, clear_traces, get_traced_memory, reset_peak,
                          get_traceback_limit, get_tracemalloc_memory, _get_traces,
                          _get_object_traceback)


def _format_size(size, sign):
    units = ("B", "KiB", "MiB", "GiB", "TiB")
    for unit in units:
        small = abs(size) < 100 and unit != "B"
        if small or abs(size) < 10 * 1024 or unit == "TiB":
            digits = ".1f" if small else ".0f"
            return ("%" + ("+" if sign else "") + digits + " %s") % (size, unit)
        size /= 1024


class Frame:
    """One frame of a traceback: filename and line number."""

    __slots__ = ("_frame",)

    def __init__(self, frame):
        self._frame = frame

    @property
    def filename(self):
        return self._frame[0]

    @property
    def lineno(self):
        return self._frame[1]

    def __eq__(self, other):
        if not isinstance(other, Frame):
            return NotImplemented
        return self._frame == other._frame

    def __lt__(self, other):
        if not isinstance(other, Frame):
            return NotImplemented
        return self._frame < other._frame

    def __hash__(self):
        return hash(self._frame)

    def __str__(self):
        return "%s:%s" % (self.filename, self.lineno)

    def __repr__(self):
        return "<Frame filename=%r lineno=%r>" % (self.filename, self.lineno)


class Traceback:
    """Frames of an allocation, oldest first; str() shows the most recent."""

    __slots__ = ("_frames", "_total_nframe")

    def __init__(self, frames, total_nframe=None):
        self._frames = tuple(reversed(frames))
        self._total_nframe = total_nframe

    @property
    def total_nframe(self):
        return self._total_nframe

    def __len__(self):
        return len(self._frames)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(Frame(trace) for trace in self._frames[index])
        return Frame(self._frames[index])

    def __iter__(self):
        for frame in self._frames:
            yield Frame(frame)

    def __contains__(self, frame):
        return frame._frame in self._frames

    def __hash__(self):
        return hash(self._frames)

    def __eq__(self, other):
        if not isinstance(other, Traceback):
            return NotImplemented
        return self._frames == other._frames

    def __lt__(self, other):
        if not isinstance(other, Traceback):
            return NotImplemented
        return self._frames < other._frames

    def __str__(self):
        return str(self[0])

    def __repr__(self):
        s = "<Traceback %r" % (tuple(self),)
        if self._total_nframe is None:
            s += ">"
        else:
            s += " total_nframe=%s>" % self.total_nframe
        return s

    def format(self, limit=None, most_recent_first=False):
        frames = list(self)
        if limit is not None:
            frames = frames[-limit:] if limit > 0 else frames[:-limit]
        if most_recent_first:
            frames.reverse()
        lines = []
        for frame in frames:
            lines.append('  File "%s", line %s' % (frame.filename, frame.lineno))
        return lines


def get_object_traceback(obj):
    frames = _get_object_traceback(obj)
    if frames is not None:
        return Traceback(frames)
    return None


class Trace:
    """One traced block: its size and traceback."""

    __slots__ = ("_trace",)

    def __init__(self, trace):
        self._trace = trace

    @property
    def domain(self):
        return self._trace[0]

    @property
    def size(self):
        return self._trace[1]

    @property
    def traceback(self):
        return Traceback(*self._trace[2:])

    def __eq__(self, other):
        if not isinstance(other, Trace):
            return NotImplemented
        return self._trace == other._trace

    def __hash__(self):
        return hash(self._trace)

    def __str__(self):
        return "%s: %s" % (self.traceback, _format_size(self.size, False))

    def __repr__(self):
        return "<Trace domain=%s size=%s, traceback=%r>" % (self.domain, _format_size(self.size, False),
                                                          self.traceback)


class Statistic:
    """Memory allocated at one place: total size and number of blocks."""

    __slots__ = ("traceback", "size", "count")

    def __init__(self, traceback, size, count):
        self.traceback = traceback
        self.size = size
        self.count = count

    def __hash__(self):
        return hash((self.traceback, self.size, self.count))

    def __eq__(self, other):
        if not isinstance(other, Statistic):
            return NotImplemented
        return (self.traceback == other.traceback and self.size == other.size
                and self.count == other.count)

    def __str__(self):
        text = "%s: size=%s, count=%i" % (self.traceback, _format_size(self.size, False), self.count)
        if self.count:
            text += ", average=%s" % _format_size(self.size / self.count, False)
        return text

    def __repr__(self):
        return "<Statistic traceback=%r size=%i count=%i>" % (self.traceback, self.size, self.count)

    def _sort_key(self):
        return (self.size, self.count, self.traceback)


class StatisticDiff:
    """The change of a Statistic between an old and a new snapshot."""

    __slots__ = ("traceback", "size", "size_diff", "count", "count_diff")

    def __init__(self, traceback, size, size_diff, count, count_diff):
        self.traceback = traceback
        self.size = size
        self.size_diff = size_diff
        self.count = count
        self.count_diff = count_diff

    def __hash__(self):
        return hash((self.traceback, self.size, self.size_diff, self.count, self.count_diff))

    def __eq__(self, other):
        if not isinstance(other, StatisticDiff):
            return NotImplemented
        return (self.traceback == other.traceback and self.size == other.size
                and self.size_diff == other.size_diff and self.count == other.count
                and self.count_diff == other.count_diff)

    def __str__(self):
        text = "%s: size=%s (%s), count=%i (%+i)" % (self.traceback, _format_size(self.size, False),
                                                     _format_size(self.size_diff, True),
                                                     self.count, self.count_diff)
        if self.count:
            text += ", average=%s" % _format_size(self.size / self.count, False)
        return text

    def __repr__(self):
        return "<StatisticDiff traceback=%r size=%i (%+i) count=%i (%+i)>" % (
            self.traceback, self.size, self.size_diff, self.count, self.count_diff)

    def _sort_key(self):
        return (abs(self.size_diff), self.size, abs(self.count_diff), self.count, self.traceback)


def _compare_grouped_stats(old_group, new_group):
    statistics = []
    for traceback, stat in new_group.items():
        previous = old_group.pop(traceback, None)
        if previous is not None:
            statistics.append(StatisticDiff(traceback, stat.size, stat.size - previous.size,
                                            stat.count, stat.count - previous.count))
        else:
            statistics.append(StatisticDiff(traceback, stat.size, stat.size, stat.count, stat.count))
    for traceback, stat in old_group.items():
        statistics.append(StatisticDiff(traceback, 0, -stat.size, 0, -stat.count))
    return statistics


class Filter:
    """Keeps (or, with inclusive=False, drops) traces by filename pattern and line."""

    def __init__(self, inclusive, filename_pattern, lineno=None, all_frames=False, domain=None):
        self.inclusive = inclusive
        self.filename_pattern = filename_pattern
        self.lineno = lineno
        self.all_frames = all_frames
        self.domain = domain

    def _match_frame(self, filename, lineno):
        if not _fnmatch(filename, self.filename_pattern):
            return False
        return self.lineno is None or lineno == self.lineno

    def _match(self, trace):
        domain, size, traceback, total_nframe = trace
        if self.domain is not None and domain != self.domain:
            return not self.inclusive
        if self.all_frames:
            hit = any(self._match_frame(f, l) for f, l in traceback)
        else:
            hit = self._match_frame(*traceback[0])
        return hit if self.inclusive else not hit


class DomainFilter:
    def __init__(self, inclusive, domain):
        self.inclusive = inclusive
        self.domain = domain

    def _match(self, trace):
        return (trace[0] == self.domain) == self.inclusive


def _fnmatch(name, pattern):
    # Shell-style matching with * and ? (enough for filename filters).
    if not pattern:
        return not name
    p = pattern[0]
    if p == "*":
        return any(_fnmatch(name[i:], pattern[1:]) for i in range(len(name) + 1))
    if not name:
        return False
    if p == "?" or p == name[0]:
        return _fnmatch(name[1:], pattern[1:])
    return False


class Snapshot:
    """The traces of the blocks allocated at one moment."""

    def __init__(self, traces, traceback_limit):
        self.traces = _Traces(traces)
        self.traceback_limit = traceback_limit

    def filter_traces(self, filters):
        new_traces = list(self.traces._traces)
        include = [f for f in filters if f.inclusive]
        exclude = [f for f in filters if not f.inclusive]
        if include:
            new_traces = [t for t in new_traces if any(f._match(t) for f in include)]
        for f in exclude:
            new_traces = [t for t in new_traces if f._match(t)]
        return Snapshot(new_traces, self.traceback_limit)

    def _group_by(self, key_type, cumulative):
        if key_type not in ("traceback", "filename", "lineno"):
            raise ValueError("unknown key_type: %r" % (key_type,))
        if cumulative and key_type not in ("lineno", "filename"):
            raise ValueError("cumulative mode cannot by used with key type %r" % key_type)
        stats = {}
        tracebacks = {}
        for trace in self.traces._traces:
            domain, size, trace_traceback, total_nframe = trace
            if cumulative:
                keys = []
                for frame in trace_traceback:
                    key = (frame[0], 0) if key_type == "filename" else frame
                    if key not in keys:
                        keys.append(key)
                frame_keys = [(k,) for k in keys]
            elif key_type == "traceback":
                frame_keys = [trace_traceback]
            elif key_type == "lineno":
                frame_keys = [trace_traceback[:1]]
            else:
                frame_keys = [((trace_traceback[0][0], 0),)]
            for raw in frame_keys:
                traceback = tracebacks.get(raw)
                if traceback is None:
                    traceback = Traceback(raw)
                    tracebacks[raw] = traceback
                stat = stats.get(traceback)
                if stat is None:
                    stats[traceback] = Statistic(traceback, size, 1)
                else:
                    stat.size += size
                    stat.count += 1
        return stats

    def statistics(self, key_type, cumulative=False):
        grouped = self._group_by(key_type, cumulative)
        statistics = list(grouped.values())
        statistics.sort(reverse=True, key=Statistic._sort_key)
        return statistics

    def compare_to(self, old_snapshot, key_type, cumulative=False):
        new_group = self._group_by(key_type, cumulative)
        old_group = old_snapshot._group_by(key_type, cumulative)
        statistics = _compare_grouped_stats(old_group, new_group)
        statistics.sort(reverse=True, key=StatisticDiff._sort_key)
        return statistics


class _Traces:
    def __init__(self, traces):
        self._traces = traces

    def __len__(self):
        return len(self._traces)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(Trace(trace) for trace in self._traces[index])
        return Trace(self._traces[index])

    def __contains__(self, trace):
        return trace._trace in self._traces

    def __eq__(self, other):
        if not isinstance(other, _Traces):
            return NotImplemented
        return self._traces == other._traces

    def __repr__(self):
        return "<Traces len=%s>" % len(self)


def take_snapshot():
    """A Snapshot of the traces of the blocks allocated so far."""
    if not is_tracing():
        raise RuntimeError("the tracemalloc module must be tracing memory allocations to take a snapshot")
    traces = _get_traces()
    traceback_limit = get_traceback_limit()
    return Snapshot(traces, traceback_limit)
