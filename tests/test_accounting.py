"Property tests of the shared accounting core (tradebook.accounting): the ledger balances under random orders."
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st, HealthCheck
from tradebook.accounting import (CostModel, rebalance_nb, equity_nb, apply_stops_nb, accrue_borrow_nb,
                                  process_orders_nb, execute_order_nb, MARKET, LIMIT, STOP)

def market(rng, T, A):
    "Random OHLCV bars, all prices positive, high/low bracketing open/close"
    c = 100 * np.exp(np.cumsum(rng.normal(0, 0.02, (T, A)), 0))
    o = np.vstack([c[:1], c[:-1]]) * np.exp(rng.normal(0, 0.005, (T, A)))
    h = np.maximum(o, c) * np.exp(np.abs(rng.normal(0, 0.01, (T, A))))
    l = np.minimum(o, c) * np.exp(-np.abs(rng.normal(0, 0.01, (T, A))))
    v = rng.uniform(1e4, 1e6, (T, A))
    return o, h, l, c, v

cost_models = st.builds(CostModel, commission=st.floats(0, 0.01), fixed_fee=st.floats(0, 5),
                        slippage_bps=st.floats(0, 20), spread_bps=st.floats(0, 20), impact=st.floats(0, 1),
                        max_leverage=st.floats(0.5, 3), allow_short=st.booleans(), margin=st.booleans(),
                        borrow_rate=st.floats(0, 1e-3), whole_units=st.booleans())

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cm=cost_models, seed=st.integers(0, 2**31), A=st.integers(1, 4), weights=st.booleans())
def test_ledger_balances_under_random_rebalancing(cm, seed, A, weights):
    rng = np.random.default_rng(seed)
    T = 40
    o, h, l, c, v = market(rng, T, A)
    sig = np.full((T, A), 0.02)
    p = cm.pack()
    cash, pos, avg, fills = np.array([1e5]), np.zeros(A), np.zeros(A), np.zeros((A, 5))
    led_cash, led_pos = 1e5, np.zeros(A)
    eq_prev, close_prev = 1e5, o[0]
    for t in range(T):
        pos_start = pos.copy()
        tgt = rng.uniform(-1, 1, A) / A if weights else rng.normal(0, 300, A)
        cost = rebalance_nb(tgt, weights, o[t], sig[t], v[t], cash, pos, avg, p, fills)
        # costs are never negative and are exactly commission + slippage
        assert (fills[:, 2] >= 0).all() and (fills[:, 3] >= -1e-9).all()
        assert cost == pytest.approx(fills[:, 2].sum() + fills[:, 3].sum())
        # an independent ledger rebuilt from the fill records
        led_cash -= fills[:, 1].sum() + fills[:, 2].sum()
        led_pos += fills[:, 0]
        np.testing.assert_allclose(pos, led_pos, rtol=1e-12, atol=1e-9)
        if not cm.allow_short: assert (pos >= -1e-9).all()
        if cm.whole_units: np.testing.assert_array_equal(pos, np.round(pos))
        borrow = accrue_borrow_nb(cash, pos, c[t], p)
        assert borrow >= 0
        led_cash -= borrow
        assert cash[0] == pytest.approx(led_cash, rel=1e-9, abs=1e-6)
        eq = equity_nb(cash, pos, c[t])
        assert eq == pytest.approx(cash[0] + pos @ c[t], rel=1e-12, abs=1e-6)
        # P&L identity: gap move on the old position, trade at ref, move to the close, minus exactly the costs
        traded = fills[:, 0]
        expect = (eq_prev + pos_start @ (o[t] - close_prev) + (pos_start + traded) @ (c[t] - o[t])
                  - cost - borrow)
        assert eq == pytest.approx(expect, rel=1e-9, abs=1e-6)
        # increases never take cash below zero without margin (long-only: reductions cannot either)
        if not cm.margin and not cm.allow_short and cm.fixed_fee == 0: assert cash[0] >= -1e-6
        eq_prev, close_prev = eq, c[t]

@settings(max_examples=40, deadline=None)
@given(cm=cost_models, seed=st.integers(0, 2**31), A=st.integers(1, 3))
def test_leverage_cap_holds_after_rebalance_from_flat(cm, seed, A):
    rng = np.random.default_rng(seed)
    p = cm.pack()
    ref = rng.uniform(10, 200, A)
    cash, pos, avg, fills = np.array([1e5]), np.zeros(A), np.zeros(A), np.zeros((A, 5))
    nan = np.full(A, np.nan)
    rebalance_nb(rng.uniform(-3, 3, A), True, ref, nan, nan, cash, pos, avg, p, fills)
    eq = equity_nb(cash, pos, ref)
    assert np.abs(pos * ref).sum() <= cm.max_leverage * eq * (1 + 1e-9) + 1e-6
    if not cm.margin: assert cash[0] >= -1e-6

@settings(max_examples=40, deadline=None)
@given(cm=cost_models, seed=st.integers(0, 2**31))
def test_stops_and_resting_orders_keep_the_ledger(cm, seed):
    rng = np.random.default_rng(seed)
    T, A = 60, 2
    o, h, l, c, v = market(rng, T, A)
    p = cm.pack()
    cash, pos, avg, fills = np.array([1e5]), np.zeros(A), np.zeros(A), np.zeros((A, 5))
    sp, tp, why = np.full(A, np.nan), np.full(A, np.nan), np.zeros(A, np.int64)
    nan = np.full(A, np.nan)
    led_cash, led_pos = 1e5, np.zeros(A)
    for t in range(T):
        n = 3
        book = (rng.integers(0, A, n), rng.integers(0, 3, n), rng.normal(0, 50, n),
                o[t][0] * rng.uniform(0.97, 1.03, n), np.ones(n, bool))
        fpx, fq = np.full(n, np.nan), np.zeros(n)
        fills[:] = 0
        process_orders_nb(*book, o[t], h[t], l[t], nan, nan, cash, pos, avg, p, fills, fpx, fq)
        for i in range(A):
            if pos[i] != 0 and np.isnan(sp[i]):
                side = np.sign(pos[i]); sp[i] = avg[i] * (1 - 0.02 * side); tp[i] = avg[i] * (1 + 0.03 * side)
        apply_stops_nb(o[t], h[t], l[t], nan, nan, sp, tp, cash, pos, avg, p, fills, why)
        for i in range(A):
            if why[i]: assert pos[i] == 0
            if why[i] == 1 and fills[i, 0] != 0: pass
        assert (fills[:, 2] >= 0).all() and (fills[:, 3] >= -1e-9).all()
        led_cash -= fills[:, 1].sum() + fills[:, 2].sum(); led_pos += fills[:, 0]
        np.testing.assert_allclose(pos, led_pos, atol=1e-9)
        assert cash[0] == pytest.approx(led_cash, rel=1e-9, abs=1e-6)
        assert equity_nb(cash, pos, c[t]) == pytest.approx(cash[0] + pos @ c[t], abs=1e-6)
        if not cm.allow_short: assert (pos >= -1e-9).all()
        # fills lie inside the bar's range, before costs moved them
        for j in range(n):
            if not np.isnan(fpx[j]):
                lo, hi = l[t][book[0][j]], h[t][book[0][j]]
                assert lo * (1 - 0.01) - 1 <= fpx[j] <= hi * (1 + 0.01) + 1 or cm.impact > 0

@pytest.mark.parametrize('whole', [False, True])
def test_buy_and_hold_is_buy_and_hold_minus_exact_costs(whole):
    rng = np.random.default_rng(3)
    T = 250
    o, h, l, c, v = market(rng, T, 1)
    cm = CostModel(commission=0.001, fixed_fee=2.0, slippage_bps=3, spread_bps=4, whole_units=whole)
    p = cm.pack()
    cash, pos, avg, fills = np.array([10_000.0]), np.zeros(1), np.zeros(1), np.zeros((1, 5))
    nan = np.full(1, np.nan)
    # the decision at bar 0's close fills at bar 1's open; then nothing trades
    rebalance_nb(np.array([1.0]), True, o[1], nan, nan, cash, pos, avg, p, fills)
    f1 = fills.copy()
    for t in range(2, T):   # hold: the target is the units already held, so nothing trades
        assert rebalance_nb(pos.copy(), False, o[t], nan, nan, cash, pos, avg, p, fills) == 0
        assert (fills == 0).all()
    q = pos[0]
    fill = o[1, 0] * (1 + 0.0002 + 0.0003)                 # half-spread 2 bps + slippage 3 bps
    commission = 2.0 + q * fill * 0.001
    slippage = q * (fill - o[1, 0])
    np.testing.assert_allclose([f1[0, 2], f1[0, 3]], [commission, slippage], rtol=1e-12)
    expected_units = (10_000 - 2.0) / (fill * 1.001)
    if whole: assert q == np.floor(expected_units)
    else: assert q == pytest.approx(expected_units * (1 - 1e-12), rel=1e-8)
    final = equity_nb(cash, pos, c[-1])
    assert final == pytest.approx(10_000 + q * (c[-1, 0] - o[1, 0]) - commission - slippage, rel=1e-12)
    # i.e. the buy-and-hold return on the invested amount, minus exactly the costs
    bh_ret = c[-1, 0] / o[1, 0] - 1
    assert (final - 10_000) == pytest.approx(q * o[1, 0] * bh_ret - (commission + slippage), rel=1e-10)

def test_kernels_compile_inside_a_batched_numba_loop():
    from numba import njit
    @njit
    def step_all(w, ref, cash, pos, avg, params, fills):
        nan = np.full(pos.shape[1], np.nan)
        tot = 0.0
        for e in range(pos.shape[0]):
            tot += rebalance_nb(w[e], True, ref, nan, nan, cash[e:e+1], pos[e], avg[e], params, fills[e])
        return tot
    N, A = 64, 3
    p = CostModel(commission=0.001).pack()
    cash, pos, avg, fills = np.full(N, 1e4), np.zeros((N, A)), np.zeros((N, A)), np.zeros((N, A, 5))
    w = np.random.default_rng(0).uniform(0, 0.3, (N, A))
    ref = np.array([10.0, 20.0, 30.0])
    tot = step_all(w, ref, cash, pos, avg, p, fills)
    assert tot > 0
    np.testing.assert_allclose(cash + (pos * ref).sum(1), 1e4 - fills[:, :, 2].sum(1) - fills[:, :, 3].sum(1))
