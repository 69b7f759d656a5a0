"Properties of tradebook.backtest: honest fills, no look-ahead, stops, sizing, and the trade list adds up."
import warnings
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st
from tradebook.accounting import CostModel
from tradebook.backtest import backtest, Broker, PeekWarning, crossover_signal

def bars(n, seed, A=1):
    out = {}
    for a in range(A):
        r = np.random.default_rng(seed * 10 + a)
        c = 100 * np.exp(np.cumsum(r.normal(0, 0.02, n)))
        o = np.r_[c[0], c[:-1]] * np.exp(r.normal(0, 0.01, n))
        out[f'a{a}'] = pd.DataFrame(dict(open=o, high=np.maximum(o, c) * np.exp(np.abs(r.normal(0, 0.01, n))),
                                         low=np.minimum(o, c) * np.exp(-np.abs(r.normal(0, 0.01, n))), close=c,
                                         volume=r.uniform(1e5, 1e6, n)),
                                    index=pd.bdate_range('2020-01-01', periods=n, tz='UTC'))
    return out if A > 1 else out['a0']

@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), slip=st.floats(0, 20), whole=st.booleans())
def test_fills_are_at_the_next_open_never_the_signal_close(seed, slip, whole):
    df = bars(300, seed)
    rng = np.random.default_rng(seed)
    sig = pd.Series(np.where(rng.random(300) < 0.1, rng.choice([-1.0, 0.0, 1.0], 300), np.nan), index=df.index)
    res = backtest(df, sig, costs=CostModel(commission=0.001, slippage_bps=slip, whole_units=whole))
    tr = res.trades
    decided = np.flatnonzero(sig.notna().to_numpy())
    o, c = df.open.to_numpy(), df.close.to_numpy()
    for _, t in tr.iterrows():
        b = t['entry_bar']
        assert b - 1 in decided                                  # filled the bar after a decision
        assert t['entry_price'] == pytest.approx(o[b] * (1 + t['direction'] * slip * 1e-4), rel=1e-12)
        if slip > 0 or o[b] != c[b - 1]: assert t['entry_price'] != c[b - 1]
        if t['exit_reason'] == 'signal':
            assert t['exit_price'] == pytest.approx(o[t['exit_bar']] * (1 - t['direction'] * slip * 1e-4), rel=1e-12)
    # every cent is in the trade list
    assert res.equity.iloc[-1] - 10_000 == pytest.approx(tr['pnl'].sum(), abs=1e-6)
    assert (res.costs >= 0).all()

@pytest.mark.parametrize('size,value', [('percent', 1.0), ('vol_target', 0.2), ('units', 10), ('cash', 5_000)])
def test_no_look_ahead_future_bars_do_not_change_the_past(size, value):
    df = bars(400, 3)
    sig = crossover_signal(df.close.rolling(5).mean(), df.close.rolling(20).mean())
    full = backtest(df, sig, size=size, size_value=value, stop_loss=0.05, costs=CostModel(commission=0.001, impact=0.1))
    for cut in (150, 260, 399):
        part = backtest(df.iloc[:cut], sig.iloc[:cut], size=size, size_value=value, stop_loss=0.05,
                        costs=CostModel(commission=0.001, impact=0.1))
        np.testing.assert_allclose(part.equity.to_numpy(), full.equity.to_numpy()[:cut], rtol=1e-12)
        np.testing.assert_allclose(part.positions.to_numpy(), full.positions.to_numpy()[:cut], rtol=1e-12)
    # scrambling the bars after t changes nothing up to t
    alt = df.copy(); alt.iloc[300:] = alt.iloc[300:].to_numpy()[::-1]
    res = backtest(alt, sig, size=size, size_value=value, stop_loss=0.05, costs=CostModel(commission=0.001, impact=0.1))
    np.testing.assert_allclose(res.equity.to_numpy()[:300], full.equity.to_numpy()[:300], rtol=1e-12)

def test_stop_loss_and_take_profit_levels():
    df = bars(800, 5)
    sig = pd.Series(1.0, index=df.index)      # always wants to be long: re-enters only after the signal changes
    sig[::50] = 0.0; sig[1::50] = 1.0
    res = backtest(df, sig, stop_loss=0.03, take_profit=0.05, costs=CostModel(commission=0.0, slippage_bps=5))
    tr = res.trades
    sl, tp = tr[tr.exit_reason == 'stop_loss'], tr[tr.exit_reason == 'take_profit']
    assert len(sl) > 0 and len(tp) > 0
    o = df.open.to_numpy()
    for _, t in sl.iterrows():               # at the stop level (or a gap below it), minus slippage
        level = t['entry_price'] * 0.97
        assert t['exit_price'] == pytest.approx(min(level, o[t['exit_bar']]) * (1 - 5e-4), rel=1e-12)
    for _, t in tp.iterrows():               # a take-profit is a limit: at its level or a better open, no slippage
        level = t['entry_price'] * 1.05
        assert t['exit_price'] == pytest.approx(max(level, o[t['exit_bar']]), rel=1e-12)

def test_long_only_leverage_and_vol_target():
    df = bars(600, 9)
    sig = crossover_signal(df.close.rolling(5).mean(), df.close.rolling(20).mean())
    res = backtest(df, sig, costs=CostModel(commission=0.001, allow_short=False))
    assert (res.positions.to_numpy() >= 0).all() and (res.cash >= -1e-6).all()
    lev = backtest(df, sig, size='percent', size_value=3.0, costs=CostModel(max_leverage=2.0, margin=True))
    pos, e = lev.positions['asset'], lev.equity
    eq_open = e - pos * (df.close - df.open)                     # equity right after the fills at the open
    ratio = (pos.abs() * df.open / eq_open).iloc[lev.trades['entry_bar'].to_numpy()]
    assert (ratio <= 2.0 + 1e-9).all() and (ratio > 1.9).all()   # sized 3×, capped at 2× gross
    vt = backtest(df, sig.abs(), size='vol_target', size_value=0.1, costs=CostModel(max_leverage=5, margin=True))
    ann = np.log(df.close).diff().rolling(20).std() * np.sqrt(252)
    w = (vt.positions['asset'] * df.open / (vt.equity.shift(1))).iloc[vt.trades['entry_bar']]
    np.testing.assert_allclose(w.to_numpy(), (0.1 / ann.shift(1)).iloc[vt.trades['entry_bar']].to_numpy(), rtol=0.05)

def test_peek_warning_and_errors():
    df = bars(100, 1)
    sig = pd.Series(1.0, index=df.index)
    with pytest.warns(PeekWarning, match='peeks'):
        backtest(df, sig, fill_at='close')
    with pytest.raises(ValueError, match="size='kelly'"):
        backtest(df, sig, size='kelly')
    with pytest.raises(ValueError, match="lacks column 'close'"):
        backtest(df.drop(columns='close'), sig)
    with pytest.raises(ValueError, match='signal has shape'):
        backtest(df, np.ones(99))
    with pytest.raises(ValueError, match='signal is infinite'):
        backtest(df, np.r_[np.ones(99), np.inf])

def test_multi_asset_event_broker_matches_vectorised_units():
    data = bars(300, 2, A=3)
    sig = pd.DataFrame({k: crossover_signal(v.close.rolling(5).mean(), v.close.rolling(15).mean()) for k, v in data.items()})
    cm = CostModel(commission=0.001, spread_bps=3, max_leverage=3, allow_short=True)
    vec = backtest(data, sig, size='units', size_value=5, costs=cm)
    b = Broker(list(data), cash=10_000, costs=cm)
    O, H, L, C = (np.column_stack([v[k].to_numpy() for v in data.values()]) for k in ('open', 'high', 'low', 'close'))
    S = sig.to_numpy()
    for t in range(300):
        b.on_bar(O[t], H[t], L[t], C[t])
        for i, name in enumerate(data):
            if S[t, i] == S[t, i]: b.submit(name, 5 * S[t, i] - b.pos[i])
    np.testing.assert_allclose(b.equity_curve, vec.equity.to_numpy(), rtol=0, atol=1e-6)
