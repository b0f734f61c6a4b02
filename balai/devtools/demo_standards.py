"""Simulated Standar Pelayanan texts for the demo catalogs (written for the demo, not copied
from any decree). Each spec fills the 14 components of PermenPAN-RB 15/2014; the internal
components shared by a whole catalog come from `common_internal`."""

from __future__ import annotations

from balai.catalog.choices import DurationUnit, ServiceCategory

from .demo_offices import ServiceSpec

ADMINDUK_LAW = (
    "Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan, sebagaimana telah "
    "diubah dengan Undang-Undang Nomor 24 Tahun 2013",
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
    "Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran "
    "Penduduk dan Pencatatan Sipil",
    "Peraturan Menteri Dalam Negeri Nomor 108 Tahun 2019 tentang peraturan pelaksanaan "
    "Perpres 96/2018",
)
KECAMATAN_LAW = (
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
    "Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan",
    "Peraturan Menteri Dalam Negeri Nomor 4 Tahun 2010 tentang Pedoman Pelayanan Administrasi "
    "Terpadu Kecamatan (PATEN)",
    "Peraturan Menteri PANRB Nomor 15 Tahun 2014 tentang Pedoman Standar Pelayanan",
)
SIAK_COMPETENCE = (
    "Operator SIAK yang telah mengikuti bimbingan teknis Disdukcapil; memahami persyaratan "
    "pendaftaran penduduk dan pencatatan sipil; menjaga kerahasiaan data pribadi; mampu "
    "menjelaskan dengan ramah kepada pemohon yang belum paham."
)
LETTER_COMPETENCE = (
    "Pelaksana berpendidikan paling rendah SMA/SMK, menguasai tata naskah dinas dan aplikasi "
    "perkantoran, memahami wilayah dan data penduduk kecamatan, serta bersikap ramah dan "
    "komunikatif."
)
FRONT_DESK = (
    "Ambil nomor antrean dan sampaikan keperluan di meja informasi.",
    "Serahkan berkas persyaratan kepada petugas loket; berkas diperiksa saat itu juga dan "
    "kekurangan dijelaskan secara tertulis.",
)


def common_internal(office: str) -> dict[str, str]:
    """Internal components shared by the services offered at `office` (e.g. "kantor
    kecamatan")."""
    return {
        "facilities": (
            f"Ruang tunggu {office} dengan kursi antrean dan nomor antrean, meja informasi, "
            "loket pelayanan, komputer dan printer, jaringan internet (Wi-Fi juga untuk warga), "
            "papan informasi standar pelayanan, toilet, tempat parkir dan jalur landai untuk "
            "kursi roda."
        ),
        "internal_supervision": (
            "Atasan langsung memeriksa buku register dan daftar permohonan di Balai setiap hari "
            "kerja; pimpinan unit meninjau ketepatan waktu setiap pekan; Inspektorat Daerah "
            "melakukan pemeriksaan berkala."
        ),
        "service_guarantee": (
            "Persyaratan tidak ditambah di luar daftar ini, waktu penyelesaian dihitung sejak "
            "berkas lengkap dan dapat dipantau pemohon dengan kode lacak, dan tidak ada pungutan "
            "di luar tarif resmi. Bila waktu terlampaui, petugas memberi tahu pemohon beserta "
            "alasannya."
        ),
        "security_guarantee": (
            "Berkas pemohon diperiksa di depan pemohon dan dokumen asli dikembalikan saat itu "
            "juga; data pribadi hanya dibuka oleh petugas yang berwenang; ruang pelayanan "
            "dilengkapi alat pemadam api ringan, kamera pengawas dan jalur evakuasi."
        ),
        "performance_evaluation": (
            "Setiap bulan dinilai ketepatan waktu penyelesaian (dari Balai), jumlah pengaduan "
            "dan tindak lanjutnya; setiap triwulan hasil Survei Kepuasan Masyarakat dibahas "
            "bersama seluruh pelaksana dan dituangkan dalam rencana perbaikan."
        ),
    }


def complaints_text(office: str) -> str:
    return (
        f"Pengaduan, saran dan masukan dapat disampaikan langsung kepada petugas pengaduan di "
        f"{office}, melalui kotak saran di ruang tunggu, melalui portal pengaduan Balai, atau "
        "melalui SP4N-LAPOR!. Setiap pengaduan dicatat, dijawab paling lambat 5 hari kerja, "
        "tanpa biaya, dan identitas pelapor dirahasiakan."
    )


KTP_EL = ServiceSpec(
    code="ktp-el",
    name="KTP-el (perekaman dan pencetakan)",
    category=ServiceCategory.ADMINDUK,
    opd="Disdukcapil",
    summary="Kartu Tanda Penduduk elektronik untuk penduduk berusia 17 tahun atau sudah menikah.",
    keywords="ktp e-ktp ktp-el kartu tanda penduduk rekam cetak",
    requirements=(
        "Kartu Keluarga (KK) asli",
        ("KTP-el lama, untuk penggantian karena rusak atau perubahan data", False),
        ("Surat keterangan kehilangan dari kepolisian, untuk KTP-el yang hilang", False),
    ),
    procedure=(
        *FRONT_DESK,
        "Petugas mencocokkan data pemohon di SIAK.",
        "Pemohon yang belum merekam difoto, diambil sidik jari, iris mata dan tanda tangannya.",
        "KTP-el dicetak setelah data terverifikasi dan diserahkan kepada pemohon dengan tanda "
        "terima.",
    ),
    time=1,
    unit=DurationUnit.WORKING_DAYS,
    product="Kartu Tanda Penduduk elektronik (KTP-el).",
    legal_basis=ADMINDUK_LAW,
    staff_competence=SIAK_COMPETENCE,
    staff_count="3 orang: 1 petugas verifikasi, 1 operator perekaman, 1 operator pencetakan",
    facilities_extra=(
        "Perangkat perekaman KTP-el (kamera, pemindai sidik jari dan iris, alat tanda tangan "
        "digital) dan printer kartu."
    ),
)

KK = ServiceSpec(
    code="kk",
    name="Kartu Keluarga (baru atau perubahan)",
    category=ServiceCategory.ADMINDUK,
    opd="Disdukcapil",
    summary="Penerbitan KK baru, penambahan atau pengurangan anggota, dan perubahan data.",
    keywords="kk kartu keluarga pecah kk tambah anggota",
    requirements=(
        "KTP-el kepala keluarga",
        ("Kartu Keluarga lama, untuk perubahan data", False),
        ("Buku nikah atau akta perkawinan, untuk keluarga baru", False),
        ("Surat keterangan pindah, untuk penduduk yang datang dari daerah lain", False),
        "Formulir biodata keluarga (diisi di loket)",
    ),
    procedure=(
        *FRONT_DESK,
        "Petugas memasukkan perubahan ke SIAK dan mencocokkannya dengan dokumen pendukung.",
        "KK ditandatangani secara elektronik oleh Kepala Disdukcapil dan dicetak di kertas HVS.",
        "KK diserahkan kepada pemohon; KK lama ditarik.",
    ),
    time=1,
    unit=DurationUnit.WORKING_DAYS,
    product="Kartu Keluarga bertanda tangan elektronik (dicetak pada kertas HVS).",
    legal_basis=ADMINDUK_LAW,
    staff_competence=SIAK_COMPETENCE,
    staff_count="2 orang: 1 petugas verifikasi dan 1 operator SIAK",
)

AKTA_KELAHIRAN = ServiceSpec(
    code="akta-kelahiran",
    name="Akta Kelahiran",
    category=ServiceCategory.ADMINDUK,
    opd="Disdukcapil",
    summary="Pencatatan kelahiran dan penerbitan kutipan akta kelahiran.",
    keywords="akta lahir kelahiran bayi anak",
    requirements=(
        "Surat keterangan lahir dari rumah sakit, puskesmas, bidan, atau kepala desa/lurah",
        "Kartu Keluarga orang tua",
        ("Buku nikah atau akta perkawinan orang tua", False),
        ("Surat pernyataan tanggung jawab mutlak (SPTJM), bila dokumen di atas tidak ada", False),
    ),
    procedure=(
        *FRONT_DESK,
        "Petugas mencatat kelahiran di SIAK dan menambahkan anak ke Kartu Keluarga.",
        "Kutipan akta ditandatangani secara elektronik dan dicetak.",
        "Akta kelahiran dan KK baru diserahkan kepada orang tua atau wali.",
    ),
    time=1,
    unit=DurationUnit.WORKING_DAYS,
    product="Kutipan akta kelahiran dan Kartu Keluarga yang sudah memuat anak.",
    legal_basis=ADMINDUK_LAW,
    staff_competence=SIAK_COMPETENCE,
    staff_count="2 orang: 1 petugas verifikasi dan 1 operator pencatatan sipil",
)

AKTA_KEMATIAN = ServiceSpec(
    code="akta-kematian",
    name="Akta Kematian",
    category=ServiceCategory.ADMINDUK,
    opd="Disdukcapil",
    summary="Pencatatan kematian, penerbitan kutipan akta kematian dan pembaruan KK.",
    keywords="akta kematian meninggal wafat",
    requirements=(
        "Surat keterangan kematian dari rumah sakit, puskesmas, atau kepala desa/lurah",
        "Kartu Keluarga almarhum/almarhumah",
        "KTP-el almarhum/almarhumah (diserahkan kepada petugas)",
        "KTP-el pelapor",
    ),
    procedure=(
        *FRONT_DESK,
        "Petugas mencatat kematian di SIAK dan menonaktifkan NIK almarhum/almarhumah.",
        "Kutipan akta kematian dan KK baru ditandatangani secara elektronik dan dicetak.",
        "Dokumen diserahkan kepada pelapor.",
    ),
    time=1,
    unit=DurationUnit.WORKING_DAYS,
    product="Kutipan akta kematian dan Kartu Keluarga yang diperbarui.",
    legal_basis=ADMINDUK_LAW,
    staff_competence=SIAK_COMPETENCE,
    staff_count="2 orang: 1 petugas verifikasi dan 1 operator pencatatan sipil",
)

KIA = ServiceSpec(
    code="kia",
    name="Kartu Identitas Anak (KIA)",
    category=ServiceCategory.ADMINDUK,
    opd="Disdukcapil",
    summary="Kartu identitas untuk anak di bawah 17 tahun yang belum menikah.",
    keywords="kia kartu anak identitas anak",
    requirements=(
        "Kutipan akta kelahiran anak",
        "Kartu Keluarga orang tua",
        "KTP-el salah satu orang tua atau wali",
        ("Pas foto berwarna anak ukuran 2x3, untuk anak berusia 5 tahun ke atas", False),
    ),
    procedure=(
        *FRONT_DESK,
        "Petugas memeriksa data anak di SIAK.",
        "KIA dicetak dan diserahkan kepada orang tua atau wali.",
    ),
    time=1,
    unit=DurationUnit.WORKING_DAYS,
    product="Kartu Identitas Anak (KIA).",
    legal_basis=(
        *ADMINDUK_LAW,
        "Peraturan Menteri Dalam Negeri Nomor 2 Tahun 2016 tentang Kartu Identitas Anak",
    ),
    staff_competence=SIAK_COMPETENCE,
    staff_count="2 orang: 1 petugas verifikasi dan 1 operator pencetakan",
)

SKU = ServiceSpec(
    code="sku",
    name="Surat Keterangan Usaha (SKU)",
    category=ServiceCategory.LETTERS,
    opd="Bag. Pemerintahan",
    summary="Keterangan bahwa pemohon menjalankan usaha di wilayah kecamatan, untuk bank atau "
    "bantuan usaha.",
    keywords="sku surat keterangan usaha umkm kredit bank",
    requirements=(
        "KTP-el pemohon",
        "Kartu Keluarga",
        "Surat pengantar desa/kelurahan tempat usaha",
        ("Foto tempat usaha", False),
    ),
    procedure=(
        *FRONT_DESK,
        "Petugas menyusun surat keterangan usaha dari data pengantar desa/kelurahan.",
        "Camat atau pejabat yang ditunjuk menandatangani surat.",
        "Surat diserahkan kepada pemohon dan dicatat di buku register.",
    ),
    time=30,
    unit=DurationUnit.MINUTES,
    product="Surat Keterangan Usaha yang ditandatangani camat.",
    legal_basis=KECAMATAN_LAW,
    staff_competence=LETTER_COMPETENCE,
    staff_count="2 orang: 1 petugas loket dan 1 pengolah surat",
)

DOMISILI = ServiceSpec(
    code="domisili",
    name="Surat Keterangan Domisili",
    category=ServiceCategory.LETTERS,
    opd="Bag. Pemerintahan",
    summary="Keterangan tempat tinggal bagi penduduk, untuk sekolah, pekerjaan atau bank.",
    keywords="domisili surat keterangan tempat tinggal",
    requirements=(
        "KTP-el pemohon",
        "Kartu Keluarga",
        "Surat pengantar RT/RW yang diketahui desa/kelurahan",
    ),
    procedure=(
        *FRONT_DESK,
        "Petugas menyusun surat keterangan domisili.",
        "Pejabat yang berwenang menandatangani surat.",
        "Surat diserahkan kepada pemohon dan dicatat di buku register.",
    ),
    time=30,
    unit=DurationUnit.MINUTES,
    product="Surat Keterangan Domisili.",
    legal_basis=KECAMATAN_LAW,
    staff_competence=LETTER_COMPETENCE,
    staff_count="2 orang: 1 petugas loket dan 1 pengolah surat",
)

IZIN_USAHA_MIKRO = ServiceSpec(
    code="izin-usaha-mikro",
    name="Izin Usaha Mikro (NIB melalui OSS)",
    category=ServiceCategory.LICENSING,
    opd="DPMPTSP",
    summary="Pendampingan pendaftaran Nomor Induk Berusaha bagi usaha mikro di sistem OSS.",
    keywords="izin usaha mikro iumk nib oss umkm",
    requirements=(
        "KTP-el pemilik usaha",
        "Nomor telepon seluler dan alamat surel yang aktif",
        "Keterangan jenis dan alamat usaha",
        ("NPWP, bila sudah punya", False),
    ),
    procedure=(
        *FRONT_DESK,
        "Petugas DPMPTSP membantu membuat akun OSS dan mengisi data usaha bersama pemohon.",
        "Sistem OSS menerbitkan NIB; petugas memeriksa kebenaran data yang tercetak.",
        "NIB dicetak dan diserahkan, beserta penjelasan kewajiban pelaku usaha.",
    ),
    time=1,
    unit=DurationUnit.WORKING_DAYS,
    product="Nomor Induk Berusaha (NIB) yang berlaku sebagai izin usaha mikro.",
    legal_basis=(
        "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        "Peraturan Pemerintah Nomor 5 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha "
        "Berbasis Risiko",
        "Peraturan Pemerintah Nomor 7 Tahun 2021 tentang Kemudahan, Pelindungan, dan "
        "Pemberdayaan Koperasi dan Usaha Mikro, Kecil, dan Menengah",
    ),
    staff_competence=(
        "Petugas DPMPTSP yang menguasai sistem OSS dan klasifikasi baku lapangan usaha (KBLI), "
        "sabar mendampingi pelaku usaha yang belum terbiasa dengan layanan daring."
    ),
    staff_count="1 petugas pendamping OSS dari DPMPTSP",
)

PENGANTAR_SKCK = ServiceSpec(
    code="pengantar-skck",
    name="Surat Pengantar SKCK",
    category=ServiceCategory.LETTERS,
    opd="Bag. Pemerintahan",
    summary="Surat pengantar kecamatan untuk mengurus Surat Keterangan Catatan Kepolisian.",
    keywords="skck catatan kepolisian pengantar kelakuan baik",
    requirements=(
        "KTP-el pemohon",
        "Kartu Keluarga",
        "Surat pengantar desa/kelurahan",
    ),
    procedure=(
        *FRONT_DESK,
        "Petugas menyusun surat pengantar dan pejabat kecamatan menandatanganinya.",
        "Surat diserahkan kepada pemohon untuk dibawa ke kepolisian.",
    ),
    time=20,
    unit=DurationUnit.MINUTES,
    product="Surat pengantar kecamatan untuk permohonan SKCK.",
    legal_basis=(
        *KECAMATAN_LAW,
        "Undang-Undang Nomor 2 Tahun 2002 tentang Kepolisian Negara Republik Indonesia",
    ),
    staff_competence=LETTER_COMPETENCE,
    staff_count="1 petugas loket",
)

LEGALISIR = ServiceSpec(
    code="legalisir",
    name="Legalisir Dokumen",
    category=ServiceCategory.LETTERS,
    opd="Bag. Pemerintahan",
    summary="Pengesahan fotokopi surat yang diterbitkan kecamatan.",
    keywords="legalisir legalisasi fotokopi pengesahan",
    requirements=(
        "Dokumen asli",
        "Fotokopi dokumen yang akan dilegalisir",
        "KTP-el pemohon",
    ),
    procedure=(
        *FRONT_DESK,
        "Petugas mencocokkan fotokopi dengan dokumen asli.",
        "Pejabat yang berwenang membubuhkan cap dan tanda tangan.",
        "Dokumen asli dan fotokopi yang sudah dilegalisir diserahkan kembali.",
    ),
    time=15,
    unit=DurationUnit.MINUTES,
    product="Fotokopi dokumen yang sudah dilegalisir.",
    legal_basis=KECAMATAN_LAW,
    staff_competence=LETTER_COMPETENCE,
    staff_count="1 petugas loket",
)

SKTM = ServiceSpec(
    code="sktm",
    name="Surat Keterangan Tidak Mampu (SKTM)",
    category=ServiceCategory.LETTERS,
    opd="Bag. Pemerintahan",
    summary="Keterangan keluarga kurang mampu, untuk keringanan biaya sekolah atau berobat.",
    keywords="sktm tidak mampu miskin keringanan",
    requirements=(
        "KTP-el pemohon",
        "Kartu Keluarga",
        "Surat pengantar RT",
        ("Foto rumah tampak depan", False),
    ),
    procedure=(
        *FRONT_DESK,
        "Petugas memeriksa data keluarga dan keterangan RT.",
        "Lurah atau pejabat yang ditunjuk menandatangani surat.",
        "Surat diserahkan kepada pemohon dan dicatat di buku register.",
    ),
    time=30,
    unit=DurationUnit.MINUTES,
    product="Surat Keterangan Tidak Mampu.",
    legal_basis=KECAMATAN_LAW,
    staff_competence=LETTER_COMPETENCE,
    staff_count="2 orang: 1 petugas loket dan 1 pengolah surat",
)

PENGANTAR_NIKAH = ServiceSpec(
    code="pengantar-nikah",
    name="Surat Pengantar Nikah",
    category=ServiceCategory.LETTERS,
    opd="Bag. Pemerintahan",
    summary="Surat pengantar kelurahan bagi calon pengantin untuk didaftarkan di KUA.",
    keywords="nikah pengantar nikah kua calon pengantin",
    requirements=(
        "KTP-el calon pengantin",
        "Kartu Keluarga",
        "Kutipan akta kelahiran",
        "Surat pengantar RT",
        ("Akta cerai atau akta kematian pasangan, bagi yang pernah menikah", False),
    ),
    procedure=(
        *FRONT_DESK,
        "Petugas mengisi formulir pengantar nikah dari data kependudukan.",
        "Lurah menandatangani surat pengantar.",
        "Surat diserahkan kepada calon pengantin untuk dibawa ke KUA.",
    ),
    time=60,
    unit=DurationUnit.MINUTES,
    product="Surat pengantar nikah untuk pendaftaran di KUA.",
    legal_basis=KECAMATAN_LAW,
    staff_competence=LETTER_COMPETENCE,
    staff_count="2 orang: 1 petugas loket dan 1 pengolah surat",
)

BANYUWANGI_SERVICES = (
    KTP_EL,
    KK,
    AKTA_KELAHIRAN,
    AKTA_KEMATIAN,
    KIA,
    SKU,
    DOMISILI,
    IZIN_USAHA_MIKRO,
    PENGANTAR_SKCK,
    LEGALISIR,
)
BONTANG_SERVICES = (KTP_EL, KK, AKTA_KELAHIRAN, DOMISILI, SKTM, PENGANTAR_NIKAH)
