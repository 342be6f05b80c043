/* mod_time.c — the time module: clocks, sleep, and calendar conversions.
 *
 * gmtime/localtime return time.struct_time, a struct sequence (a tuple with
 * named fields, structseq.c); strftime and mktime take one (or a 9-tuple).
 */
#define _GNU_SOURCE
#include "py.h"
#include "lang_int.h"

#include <errno.h>
#include <math.h>
#include <time.h>

#define TFN(name) static py_obj *t_##name(py_obj *self, py_obj *const *args, size_t nargs, py_obj *kwnames)

static py_type *struct_time_type;
static const char *const st_fields[] = {"tm_year", "tm_mon", "tm_mday", "tm_hour", "tm_min",
                                        "tm_sec", "tm_wday", "tm_yday", "tm_isdst", "tm_zone", "tm_gmtoff"};

static int no_args(const char *fn, size_t nargs, py_obj *kwnames)
{
    if (nargs || (kwnames && py_tuple_size(kwnames))) {
        py_err_format(py_exc_TypeError, "time.%s() takes no arguments (%zd given)", fn, (intptr_t)nargs);
        return -1;
    }
    return 0;
}

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static py_obj *clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    py_obj *s = py_int_from_long(ts.tv_sec), *b = py_int_from_long(1000000000), *n = py_int_from_long(ts.tv_nsec);
    py_obj *m = s && b ? py_binary_op(s, b, PY_NB_MULTIPLY) : NULL;
    py_obj *r = m && n ? py_binary_op(m, n, PY_NB_ADD) : NULL;
    tl_xdecref(s);
    tl_xdecref(b);
    tl_xdecref(n);
    tl_xdecref(m);
    return r;
}

TFN(time) { return no_args("time", nargs, kwnames) < 0 ? NULL : py_float_new(clock_seconds(CLOCK_REALTIME)); }
TFN(time_ns) { return no_args("time_ns", nargs, kwnames) < 0 ? NULL : clock_ns(CLOCK_REALTIME); }
TFN(monotonic) { return no_args("monotonic", nargs, kwnames) < 0 ? NULL : py_float_new(clock_seconds(CLOCK_MONOTONIC)); }
TFN(monotonic_ns) { return no_args("monotonic_ns", nargs, kwnames) < 0 ? NULL : clock_ns(CLOCK_MONOTONIC); }
TFN(perf_counter) { return no_args("perf_counter", nargs, kwnames) < 0 ? NULL : py_float_new(clock_seconds(CLOCK_MONOTONIC)); }
TFN(perf_counter_ns) { return no_args("perf_counter_ns", nargs, kwnames) < 0 ? NULL : clock_ns(CLOCK_MONOTONIC); }
TFN(process_time) { return no_args("process_time", nargs, kwnames) < 0 ? NULL : py_float_new(clock_seconds(CLOCK_PROCESS_CPUTIME_ID)); }
TFN(process_time_ns) { return no_args("process_time_ns", nargs, kwnames) < 0 ? NULL : clock_ns(CLOCK_PROCESS_CPUTIME_ID); }

TFN(sleep)
{
    if (nargs != 1 || (kwnames && py_tuple_size(kwnames))) {
        py_err_format(py_exc_TypeError, "time.sleep() takes exactly one argument (%zd given)", (intptr_t)nargs);
        return NULL;
    }
    double s;
    if (py_isinstance_of(args[0], &py_float_type))
        s = py_float_value(args[0]);
    else if (py_int_check(args[0]))
        s = py_int_as_double(args[0]);
    else {
        py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer", py_type_name(py_type_of(args[0])));
        return NULL;
    }
    if (s < 0) {
        py_err_format(py_exc_ValueError, "sleep length must be non-negative");
        return NULL;
    }
    struct timespec req = {(time_t)s, (long)((s - floor(s)) * 1e9)}, rem;
    while (nanosleep(&req, &rem) != 0 && errno == EINTR)
        req = rem;
    py_RETURN_NONE;
}

static py_obj *struct_time_from(const struct tm *t)
{
    py_obj *items[11] = {
        py_int_from_long(t->tm_year + 1900), py_int_from_long(t->tm_mon + 1), py_int_from_long(t->tm_mday),
        py_int_from_long(t->tm_hour), py_int_from_long(t->tm_min), py_int_from_long(t->tm_sec),
        py_int_from_long((t->tm_wday + 6) % 7), py_int_from_long(t->tm_yday + 1), py_int_from_long(t->tm_isdst),
        t->tm_zone ? py_str_from_cstr(t->tm_zone) : py_newref(py_None), py_int_from_long(t->tm_gmtoff),
    };
    return py_structseq_new(struct_time_type, items, 11);
}

static int seconds_arg(py_obj *const *args, size_t nargs, time_t *out)
{
    if (nargs == 0 || args[0] == py_None) {
        *out = time(NULL);
        return 0;
    }
    double d;
    if (py_isinstance_of(args[0], &py_float_type))
        d = py_float_value(args[0]);
    else if (py_int_check(args[0]))
        d = py_int_as_double(args[0]);
    else {
        py_err_format(py_exc_TypeError, "'%s' object cannot be interpreted as an integer", py_type_name(py_type_of(args[0])));
        return -1;
    }
    *out = (time_t)floor(d);
    return 0;
}

TFN(gmtime)
{
    time_t t;
    struct tm tm;
    if (seconds_arg(args, nargs, &t) < 0)
        return NULL;
    if (!gmtime_r(&t, &tm)) {
        py_err_format(py_exc_OverflowError, "timestamp out of range for platform time_t");
        return NULL;
    }
    return struct_time_from(&tm);
}

TFN(localtime)
{
    time_t t;
    struct tm tm;
    if (seconds_arg(args, nargs, &t) < 0)
        return NULL;
    if (!localtime_r(&t, &tm)) {
        py_err_format(py_exc_OverflowError, "timestamp out of range for platform time_t");
        return NULL;
    }
    return struct_time_from(&tm);
}

/* A struct_time or 9-sequence back into a struct tm. */
static int to_tm(py_obj *o, struct tm *tm)
{
    py_obj *t = py_sequence_to_tuple(o);
    if (!t)
        return -1;
    if (py_tuple_size(t) != 9) {
        tl_decref(t);
        py_err_format(py_exc_TypeError, "function takes exactly 9 arguments (%zd given)", py_tuple_size(t));
        return -1;
    }
    int v[9];
    for (int i = 0; i < 9; i++) {
        intptr_t x;
        if (py_index(py_tuple_items(t)[i], &x) < 0) {
            tl_decref(t);
            return -1;
        }
        v[i] = (int)x;
    }
    tl_decref(t);
    memset(tm, 0, sizeof *tm);
    tm->tm_year = v[0] - 1900;
    tm->tm_mon = v[1] - 1;
    tm->tm_mday = v[2];
    tm->tm_hour = v[3];
    tm->tm_min = v[4];
    tm->tm_sec = v[5];
    tm->tm_wday = (v[6] + 1) % 7;
    tm->tm_yday = v[7] - 1;
    tm->tm_isdst = v[8];
    /* A struct_time carries its zone (items 9 and 10, hidden): strftime's %Z
     * and %z use them, as CPython's do. o holds the name while tm is used. */
    if (py_type_of(o) == struct_time_type) {
        py_obj *zone = py_tuple_items(o)[9], *off = py_tuple_items(o)[10];
        if (py_str_check(zone))
            tm->tm_zone = py_str_utf8(zone);
        if (py_int_check(off))
            tm->tm_gmtoff = py_int_as_ssize(off);
        py_err_clear();
    }
    return 0;
}

TFN(strftime)
{
    if (nargs < 1 || nargs > 2) {
        py_err_format(py_exc_TypeError, nargs ? "strftime() takes at most 2 arguments (%zd given)"
                                              : "strftime() takes at least 1 argument (%zd given)", (intptr_t)nargs);
        return NULL;
    }
    if (!py_str_check(args[0])) {
        py_err_format(py_exc_TypeError, "strftime() argument 1 must be str, not %s", py_type_name(py_type_of(args[0])));
        return NULL;
    }
    struct tm tm;
    if (nargs == 2) {
        if (to_tm(args[1], &tm) < 0)
            return NULL;
    } else {
        time_t now = time(NULL);
        localtime_r(&now, &tm);
    }
    char buf[1024];
    size_t n = strftime(buf, sizeof buf, py_str_utf8(args[0]), &tm);
    return py_str_from_utf8(buf, n);
}

TFN(mktime)
{
    struct tm tm;
    if (nargs != 1 || to_tm(args[0], &tm) < 0) {
        if (!py_err_occurred())
            py_err_format(py_exc_TypeError, "mktime() takes exactly one argument");
        return NULL;
    }
    tm.tm_wday = -1;
    time_t t = mktime(&tm);
    if (t == (time_t)-1 && tm.tm_wday == -1) {
        py_err_format(py_exc_OverflowError, "mktime argument out of range");
        return NULL;
    }
    return py_float_new((double)t);
}

static py_obj *format_asctime(const struct tm *tm)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    return py_str_from_format("%s %s %2d %02d:%02d:%02d %d", days[(tm->tm_wday % 7 + 7) % 7],
                              months[(tm->tm_mon % 12 + 12) % 12], tm->tm_mday, tm->tm_hour, tm->tm_min,
                              tm->tm_sec, tm->tm_year + 1900);
}

TFN(asctime)
{
    struct tm tm;
    if (nargs == 0) {
        time_t now = time(NULL);
        localtime_r(&now, &tm);
    } else if (to_tm(args[0], &tm) < 0) {
        return NULL;
    }
    return format_asctime(&tm);
}

TFN(ctime)
{
    time_t t;
    struct tm tm;
    if (seconds_arg(args, nargs, &t) < 0)
        return NULL;
    localtime_r(&t, &tm);
    return format_asctime(&tm);
}

static const py_method_def time_functions[] = {
    {"time", t_time, NULL}, {"time_ns", t_time_ns, NULL}, {"monotonic", t_monotonic, NULL},
    {"monotonic_ns", t_monotonic_ns, NULL}, {"perf_counter", t_perf_counter, NULL},
    {"perf_counter_ns", t_perf_counter_ns, NULL}, {"process_time", t_process_time, NULL},
    {"process_time_ns", t_process_time_ns, NULL}, {"sleep", t_sleep, NULL}, {"gmtime", t_gmtime, NULL},
    {"localtime", t_localtime, NULL}, {"strftime", t_strftime, NULL}, {"mktime", t_mktime, NULL},
    {"asctime", t_asctime, NULL}, {"ctime", t_ctime, NULL},
    {NULL, NULL, NULL},
};

py_obj *py_init_time(void)
{
    if (!struct_time_type && !(struct_time_type = py_structseq_type_hidden("time.struct_time", st_fields, 9, 11)))
        return NULL;
    py_obj *m = py_module_new("time");
    if (!m || py_module_add_functions(m, time_functions) < 0 ||
        py_dict_set_str(py_module_dict(m), "struct_time", &struct_time_type->tl.ob) < 0) {
        tl_xdecref(m);
        return NULL;
    }
    return m;
}
