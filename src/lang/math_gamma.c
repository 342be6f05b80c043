/* math_gamma.c — math.gamma and math.lgamma, computed the way CPython 3.11
 * computes them (it does not use the C library's tgamma/lgamma), so that
 * results agree to the last bit.
 *
 * Method (CPython's, after Boost): for x > 0 the Lanczos approximation with
 * N = 13 and g = 6.024680040776729583740234375, the Lanczos sum written as a
 * rational function (evaluated in 1/x from x = 5 on, against overflow), a
 * first-order correction for the rounding of x + g - 0.5, and pow split in
 * two square roots from x = 140 on; for x < 0 the reflection formula with a
 * sin(pi x) that reduces its argument exactly. Errors follow C99 Annex F and
 * are reported through errno (EDOM, ERANGE) for the caller to turn into
 * ValueError / OverflowError as CPython's math_1a does.
 */
#include "lang_int.h"

#include <errno.h>
#include <math.h>

#define LANCZOS_N 13
static const double lanczos_g = 6.024680040776729583740234375;
static const double lanczos_g_minus_half = 5.524680040776729583740234375;

/* Numerator coefficients of the Lanczos sum, and the denominator
   x (x+1) ... (x+11) expanded, lowest power first. */
static const double lanczos_num[LANCZOS_N] = {
    23531376880.410759688572007674451636754734846804940,
    42919803642.649098768957899047001988850926355848959,
    35711959237.355668049440185451547166705960488635843,
    17921034426.037209699919755754458931112671403265390,
    6039542586.3520280050642916443072979210699388420708,
    1439720407.3117216736632230727949123939715485786772,
    248874557.86205415651146038641322942321632125127801,
    31426415.585400194380614231628318205362874684987640,
    2876370.6289353724412254090516208496135991145378768,
    186056.26539522349504029498971604569928220784236328,
    8071.6720023658162106380029022722506138218516325024,
    210.82427775157934587250973392071336271166969580291,
    2.5066282746310002701649081771338373386264310793408,
};
static const double lanczos_den[LANCZOS_N] = {
    0.0, 39916800.0, 120543840.0, 150917976.0, 105258076.0, 45995730.0,
    13339535.0, 2637558.0, 357423.0, 32670.0, 1925.0, 66.0, 1.0,
};

static const double pi = 3.141592653589793238462643383279502884197;
static const double logpi = 1.144729885849400174143427351353058711647;

/* Lanczos' sum for x > 0. */
static double lanczos_sum(double x)
{
    double num = 0.0, den = 0.0;
    if (x < 5.0) {
        for (int i = LANCZOS_N - 1; i >= 0; i--) {
            num = num * x + lanczos_num[i];
            den = den * x + lanczos_den[i];
        }
    } else {
        for (int i = 0; i < LANCZOS_N; i++) {
            num = num / x + lanczos_num[i];
            den = den / x + lanczos_den[i];
        }
    }
    return num / den;
}

/* sin(pi * x) for finite x, reduced to [0, 2) first so that multiples of a
   half give exact zeros and ones. */
static double sinpi(double x)
{
    double y = fmod(fabs(x), 2.0), r;
    switch ((int)round(2.0 * y)) {
    case 0: r = sin(pi * y); break;
    case 1: r = cos(pi * (y - 0.5)); break;
    case 2: r = sin(pi * (1.0 - y)); break;   /* not -sin(pi*(y-1)): 0.0, not -0.0 */
    case 3: r = -cos(pi * (y - 1.5)); break;
    default: r = sin(pi * (y - 2.0)); break;
    }
    return copysign(1.0, x) * r;
}

/* Gamma of the small positive integers, exact. */
static double factorial_below(int n)
{
    double r = 1.0;
    for (int i = 2; i < n; i++)
        r *= i;
    return r;
}

/* pow(y, e) applied to r (multiply or divide), in two halves past 140 so
   the intermediate power does not overflow. */
static double scale_by_pow(double r, double y, double absx, bool divide)
{
    if (absx < 140.0) {
        double p = pow(y, absx - 0.5);
        return divide ? r / p : r * p;
    }
    double half = pow(y, absx / 2.0 - 0.25);
    return divide ? r / half / half : r * half * half;
}

double py_math_gamma(double x)
{
    if (!isfinite(x)) {
        if (isnan(x) || x > 0.0)
            return x;
        errno = EDOM;
        return NAN;
    }
    if (x == 0.0) {
        errno = EDOM;
        return copysign(HUGE_VAL, x);
    }
    if (x == floor(x)) {
        if (x < 0.0) {
            errno = EDOM;
            return NAN;
        }
        if (x <= 23.0)                /* exact: the products fit in a double */
            return factorial_below((int)x);
    }
    double absx = fabs(x);
    if (absx < 1e-20) {
        double r = 1.0 / x;
        if (isinf(r))
            errno = ERANGE;
        return r;
    }
    if (absx > 200.0) {
        if (x < 0.0)
            return 0.0 / sinpi(x);
        errno = ERANGE;
        return HUGE_VAL;
    }
    double y = absx + lanczos_g_minus_half;
    /* z: the rounding error of y, subtracted in the order that keeps it exact */
    volatile double q = absx > lanczos_g_minus_half ? y - absx : y - lanczos_g_minus_half;
    double z = absx > lanczos_g_minus_half ? q - lanczos_g_minus_half : q - absx;
    z = z * lanczos_g / y;
    double r;
    if (x < 0.0) {
        r = -pi / sinpi(absx) / absx * exp(y) / lanczos_sum(absx);
        r -= z * r;
        r = scale_by_pow(r, y, absx, true);
    } else {
        r = lanczos_sum(absx) / exp(y);
        r += z * r;
        r = scale_by_pow(r, y, absx, false);
    }
    if (isinf(r))
        errno = ERANGE;
    return r;
}

double py_math_lgamma(double x)
{
    if (!isfinite(x))
        return isnan(x) ? x : HUGE_VAL;
    if (x == floor(x) && x <= 2.0) {
        if (x <= 0.0) {
            errno = EDOM;
            return HUGE_VAL;
        }
        return 0.0;
    }
    double absx = fabs(x);
    if (absx < 1e-20)
        return -log(absx);
    double r = log(lanczos_sum(absx)) - lanczos_g;
    r += (absx - 0.5) * (log(absx + lanczos_g - 0.5) - 1);
    if (x < 0.0)
        r = logpi - log(fabs(sinpi(absx))) - log(absx) - r;
    if (isinf(r))
        errno = ERANGE;
    return r;
}
