#!/usr/bin/env Rscript
# Computes reference values for the indicator conformance tests with R's TTR package, an
# implementation independent of this one. Run from packages/strategy:
#   Rscript scripts/make-reference.R
# It reads test/fixtures/<name>.csv and writes test/fixtures/<name>.reference.json: the TTR
# version, the parameters and one array per output (null during warm-up), 17 significant digits.
# Needs Debian's r-cran-ttr (apt-get install -y r-cran-ttr).
suppressPackageStartupMessages(library(TTR))

fmt <- function(x) {
  x <- as.numeric(x)
  paste0("[", paste(ifelse(is.na(x), "null", sprintf("%.17g", x)), collapse = ","), "]")
}

reference <- function(name) {
  bars <- read.csv(file.path("test/fixtures", paste0(name, ".csv")), colClasses = "numeric")
  hlc <- cbind(bars$high, bars$low, bars$close)
  close <- bars$close
  volume <- bars$volume
  # The typical price is handed to CCI and MFI as a univariate series so that both sides start
  # from the same rounding of (h + l + c) / 3 (TTR's own row mean can differ in the last bit).
  tp <- (bars$high + bars$low + bars$close) / 3

  macd <- MACD(close, 12, 26, 9, maType = "EMA", percent = FALSE)
  bb <- BBands(close, n = 20, sd = 2)
  adx <- ADX(hlc, n = 14)
  st <- stoch(hlc, nFastK = 14, nFastD = 3, nSlowD = 3)
  dc <- DonchianChannel(cbind(bars$high, bars$low), n = 20)
  e1 <- EMA(close, 10)
  e2 <- EMA(e1, 10)
  e3 <- EMA(e2, 10)
  kMid <- EMA(close, 20)
  kAtr <- ATR(hlc, n = 10)[, "atr"]
  day <- floor(bars$open_time / 86400000)

  out <- list(
    sma = SMA(close, 20),
    ema = EMA(close, 20),
    wma = WMA(close, 20),
    dema = DEMA(close, 20),
    tema = 3 * e1 - 3 * e2 + e3,
    rsi = RSI(close, 14),
    macd = macd[, "macd"],
    macdSignal = macd[, "signal"],
    macdHistogram = macd[, "macd"] - macd[, "signal"],
    bollingerUpper = bb[, "up"],
    bollingerMiddle = bb[, "mavg"],
    bollingerLower = bb[, "dn"],
    atr = ATR(hlc, n = 14)[, "atr"],
    adx = adx[, "ADX"],
    plusDi = adx[, "DIp"],
    minusDi = adx[, "DIn"],
    cci = CCI(tp, n = 20),
    roc = 100 * ROC(close, n = 10, type = "discrete"),
    obv = OBV(close, volume),
    stochasticK = 100 * st[, "fastK"],
    stochasticD = 100 * st[, "fastD"],
    williamsR = -100 * WPR(hlc, n = 14),
    donchianUpper = dc[, "high"],
    donchianMiddle = dc[, "mid"],
    donchianLower = dc[, "low"],
    keltnerUpper = kMid + 2 * kAtr,
    keltnerMiddle = kMid,
    keltnerLower = kMid - 2 * kAtr,
    mfi = MFI(tp, volume, n = 14),
    cmf = CMF(hlc, volume, n = 20),
    vwap = VWAP(close, volume, n = 20),
    sessionVwap = ave(close * volume, day, FUN = cumsum) / ave(volume, day, FUN = cumsum),
    stdDev = runSD(close, n = 20, sample = FALSE),
    stdDevSample = runSD(close, n = 20, sample = TRUE),
    zScore = (close - runMean(close, n = 20)) / runSD(close, n = 20, sample = FALSE),
    rollingMin = runMin(bars$low, n = 20),
    rollingMax = runMax(bars$high, n = 20)
  )
  body <- paste0('  "', names(out), '": ', vapply(out, fmt, ""), collapse = ",\n")
  json <- paste0(
    '{\n  "source": "', name, '.csv",\n',
    '  "generator": "scripts/make-reference.R with R ', getRversion(), ", TTR ", packageVersion("TTR"), '",\n',
    '  "series": {\n', gsub("\n  ", "\n    ", paste0("  ", body)), "\n  }\n}\n"
  )
  writeLines(json, file.path("test/fixtures", paste0(name, ".reference.json")), sep = "")
}

for (name in c("XRPETH-5m", "ADABTC-1m-first1500")) reference(name)
