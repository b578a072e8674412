"""The inventory area: products and stock, the treatment catalogue, purchase orders, the
stock forecast and the inventory reports."""
