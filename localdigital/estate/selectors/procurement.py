"""Joint procurement windows: product/function pairs where at least 3 councils' contracts end
within a chosen number of months.

Only councils that share their contract end dates count (sharing level "products and contract
end dates"), and only approved products. Two queries however many systems there are.
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from localdigital.estate.models import (
    Function,
    ProcurementInterest,
    Product,
    SharingSetting,
    System,
)
from localdigital.organisations.models import Organisation
from localdigital.pipeline.models import Item

WINDOW_MONTHS = (12, 18, 24, 36, 48, 60)
DEFAULT_WINDOW = 24
MINIMUM_COUNCILS = 3


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class EndingContract:
    organisation: Organisation
    contract_end: dt.date


@dataclass
class ProcurementWindow:
    function: Function
    product: Product
    contracts: list[EndingContract] = field(default_factory=list)
    interested: list[Organisation] = field(default_factory=list)
    item: Item | None = None

    @property
    def council_count(self) -> int:
        return len({c.organisation.pk for c in self.contracts})


def procurement_windows(
    *, months: int = DEFAULT_WINDOW, today: dt.date | None = None
) -> list[ProcurementWindow]:
    """Pairs with contracts of at least 3 councils ending between `today` and `months` later
    (both days included), soonest first by their first ending contract, each with its councils
    and end dates, the councils interested in procuring jointly and their Pipeline item."""
    today = today or timezone.localdate()
    until = add_months(today, months)
    systems = (
        System.objects.filter(
            product__status=Product.Status.APPROVED,
            contract_end__gte=today,
            contract_end__lte=until,
            organisation__estate_sharing__level=SharingSetting.Level.PRODUCTS_AND_CONTRACT_ENDS,
        )
        .select_related("organisation", "product__supplier", "function")
        .order_by("function__position", "product__name", "contract_end", "organisation__short_name")
    )
    pairs: dict[tuple[int, int], ProcurementWindow] = {}
    for system in systems:
        assert system.product is not None  # noqa: S101 (filtered above)
        assert system.contract_end is not None  # noqa: S101 (filtered above)
        key = (system.function_id, system.product.pk)
        window = pairs.setdefault(key, ProcurementWindow(system.function, system.product))
        window.contracts.append(EndingContract(system.organisation, system.contract_end))
    windows = [w for w in pairs.values() if w.council_count >= MINIMUM_COUNCILS]
    if windows:
        _attach_interest(windows)
    windows.sort(key=lambda w: (w.contracts[0].contract_end, w.function.position, w.product.name))
    return windows


def _attach_interest(windows: list[ProcurementWindow]) -> None:
    by_pair = {(w.function.pk, w.product.pk): w for w in windows}
    interests = (
        ProcurementInterest.objects.filter(
            function_id__in={k[0] for k in by_pair}, product_id__in={k[1] for k in by_pair}
        )
        .select_related("organisation", "item")
        .order_by("created_at", "pk")
    )
    for interest in interests:
        window = by_pair.get((interest.function_id, interest.product_id))
        if window is None:
            continue
        window.interested.append(interest.organisation)
        if window.item is None and interest.item is not None and not interest.item.is_archived:
            window.item = interest.item
