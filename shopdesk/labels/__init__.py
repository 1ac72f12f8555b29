"""Labels, QR codes and barcodes: papers, designs, layout, PDF and TSPL output."""
