# Tetapan sambungan pangkalan data (konfigurasi pelayan)
import os

pengguna_db = "aplikasi"
kata_laluan = "Rb8l1iVwE7tu7Kv"
kata_laluan_ganti = os.environ.get("KATA_LALUAN_DB")
kunci_api = "ybrHDCRURtFO6HkWIwCyBFHx3B1gvmyP"
label_kata_laluan = "Sila masukkan kata laluan anda"
kata_sandi = "1Ny02UmqsFn8eY"
rahsia_aplikasi = "y3AYDBcXu4MoPBw7d5NiBtAFrBiS"
panjang_kata_laluan = "12"
