#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "wadul/classifier.hpp"
#include "wadul/error.hpp"

using namespace wadul;

namespace {

// Written for these tests: short complaints in the style of SMS to the Regent, five agencies.
std::vector<std::pair<std::string, std::string>> samples() {
    const char *dishub = "Dinas Perhubungan", *dlh = "Dinas Lingkungan Hidup", *pu = "Dinas Pekerjaan Umum",
               *sos = "Dinas Sosial", *capil = "Dinas Kependudukan";
    return {
        {"lampu PJU di jln pemuda mati sdh 3 hari", dishub},
        {"lampu jalan depan masjid mati total, gelap sekali", dishub},
        {"mohon lampu penerangan jalan umum diperbaiki, mati terus", dishub},
        {"parkir liar di depan pasar bikin macet", dishub},
        {"lampu lalu lintas di perempatan mati, rawan kecelakaan", dishub},
        {"banyak juru parkir liar minta uang parkir mahal", dishub},
        {"traffic light perempatan alun alun tidak nyala", dishub},
        {"angkot ngetem sembarangan bikin macet jalan", dishub},
        {"sampah menumpuk di tps tidak diangkut seminggu", dlh},
        {"bau sampah busuk dari tps dekat sekolah", dlh},
        {"truk sampah tdk datang, sampah numpuk di gang", dlh},
        {"warga buang sampah ke sungai, tolong ditindak", dlh},
        {"asap pembakaran sampah mengganggu warga", dlh},
        {"limbah pabrik mencemari sungai, air hitam dan bau", dlh},
        {"pohon tumbang belum dibersihkan petugas taman", dlh},
        {"sampah pasar berserakan dan bau menyengat", dlh},
        {"jalan berlubang besar di desa sumber, bahaya", pu},
        {"jalan rusak parah banyak lubang, mohon diaspal", pu},
        {"saluran air mampet jadi banjir kalau hujan", pu},
        {"gorong gorong tersumbat, air meluap ke jalan", pu},
        {"aspal jalan mengelupas dan berlubang", pu},
        {"banjir tiap hujan karena saluran drainase buntu", pu},
        {"jembatan kayu rusak hampir ambruk", pu},
        {"jalan kampung rusak belum diperbaiki", pu},
        {"bansos belum cair padahal sudah terdaftar", sos},
        {"nama saya hilang dari data penerima bantuan sosial", sos},
        {"bantuan sembako tidak sampai ke warga miskin", sos},
        {"mohon didata sebagai keluarga miskin penerima bansos", sos},
        {"lansia terlantar butuh bantuan sosial", sos},
        {"pkh saya dihentikan tanpa alasan, mohon bantuan", sos},
        {"data mbr saya tidak muncul, bansos tidak cair", sos},
        {"bantuan langsung tunai belum diterima", sos},
        {"ktp elektronik saya belum jadi sudah 3 bulan", capil},
        {"mengurus kk baru lama sekali di kecamatan", capil},
        {"akta kelahiran anak belum selesai", capil},
        {"blanko ktp habis terus, kapan bisa cetak", capil},
        {"nik saya tidak terdaftar di data kependudukan", capil},
        {"pindah domisili, kk dan ktp belum diproses", capil},
        {"rekam ktp el antri lama", capil},
        {"cetak akta kematian dan kk lama sekali", capil},
    };
}

} // namespace

TEST_CASE("an untrained classifier knows nothing and says so") {
    Classifier c;
    CHECK(c.empty());
    CHECK(c.labels().empty());
    const Prediction p = c.classify("lampu jalan mati");
    CHECK(p.label.empty());
    CHECK(p.confidence == 0);
    Classifier back = Classifier::deserialize(c.serialize());
    CHECK(back.empty());
    c.train({});
    CHECK(c.empty());
    c.train({{"teks tanpa label", ""}});
    CHECK(c.empty());
}

TEST_CASE("the classifier learns agencies from complaints") {
    Classifier c;
    c.train(samples());
    CHECK_FALSE(c.empty());
    CHECK(c.labels().size() == 5);
    CHECK(c.classify("lampu PJU depan rumah mati").label == "Dinas Perhubungan");
    CHECK(c.classify("sampah di tps belum diangkut, bau").label == "Dinas Lingkungan Hidup");
    CHECK(c.classify("jalan desa berlubang dan rusak").label == "Dinas Pekerjaan Umum");
    CHECK(c.classify("bansos saya belum cair").label == "Dinas Sosial");
    CHECK(c.classify("KTP sy blm jadi, kk jg").label == "Dinas Kependudukan");
    const Prediction p = c.classify("lampu jalan mati, gelap");
    CHECK(p.confidence > 0);
    CHECK(p.confidence <= 1);
    CHECK(p.reason.rfind("model: ", 0) == 0);
    CHECK(p.reason.find("lampu") != std::string::npos);
}

TEST_CASE("confidence is higher for a clear complaint than for a vague one") {
    Classifier c;
    c.train(samples());
    const Prediction clear = c.classify("lampu PJU mati, lampu jalan gelap, lampu penerangan mati");
    const Prediction vague = c.classify("mohon ditindaklanjuti pak, terima kasih");
    const Prediction mixed = c.classify("sampah menumpuk di jalan berlubang");
    CHECK(clear.confidence > vague.confidence);
    CHECK(clear.confidence > mixed.confidence);
    CHECK(clear.confidence > 0.5);
}

TEST_CASE("training is deterministic and the model survives serialisation") {
    Classifier a, b;
    a.train(samples());
    b.train(samples());
    const std::string blob = a.serialize();
    CHECK(blob == b.serialize());
    Classifier back = Classifier::deserialize(blob);
    CHECK(back.labels() == a.labels());
    for (const char *t : {"lampu mati", "sampah bau", "jalan rusak", "bansos", "akta kelahiran", "zzz qqq"}) {
        const Prediction x = a.classify(t), y = back.classify(t);
        CHECK(x.label == y.label);
        CHECK(x.confidence == doctest::Approx(y.confidence).epsilon(1e-9));
        CHECK(x.reason == y.reason);
    }
    CHECK(back.serialize() == blob);
}

TEST_CASE("a corrupt model is bad data") {
    Classifier a;
    a.train(samples());
    const std::string blob = a.serialize();
    for (const std::string &bad : {std::string(), std::string("nonsense"), blob.substr(0, blob.size() / 2),
                                   blob + "x"}) {
        try {
            Classifier::deserialize(bad);
            FAIL("deserialised a corrupt model");
        } catch (const Error &e) {
            CHECK(e.code() == kExitDataErr);
        }
    }
}

TEST_CASE("a model of an older format is rejected as bad data, not misread") {
    Classifier a;
    a.train(samples());
    std::string old = a.serialize();
    REQUIRE(old.size() > 8);
    // Format 1 (per-word n-grams, softmax confidence) had the same header with version 1.
    const uint32_t v1 = 1;
    old.replace(4, sizeof v1, reinterpret_cast<const char *>(&v1), sizeof v1);
    try {
        Classifier::deserialize(old);
        FAIL("deserialised a format-1 model");
    } catch (const Error &e) {
        CHECK(e.code() == kExitDataErr);
        CHECK(std::string(e.what()).find("format 1") != std::string::npos);
    }
}

TEST_CASE("a complaint between two agencies is not confident enough to route alone") {
    Classifier c;
    c.train(samples());
    // Equal evidence for two agencies: a small margin, below the default route.threshold of 0.5.
    const Prediction both = c.classify("sampah menumpuk di tps, jalan berlubang dan rusak parah");
    const Prediction clear = c.classify("lampu PJU mati, lampu jalan gelap, lampu penerangan mati");
    CHECK(both.confidence < clear.confidence);
    CHECK(clear.confidence > 0.5);
}

TEST_CASE("sample weights must match the samples") {
    Classifier c;
    CHECK_THROWS_AS(c.train(samples(), {1.0, 2.0}), Error);
    std::vector<double> w(samples().size(), 1.0);
    w[0] = 0;
    CHECK_THROWS_AS(c.train(samples(), w), Error);
    w[0] = 1;
    Classifier d;
    d.train(samples(), w);
    c.train(samples());
    CHECK(c.serialize() == d.serialize()); // unit weights are no weights
}

TEST_CASE("retraining replaces what was learned") {
    Classifier c;
    c.train(samples());
    c.train({{"air pdam mati", "PDAM"}, {"air pdam keruh", "PDAM"}, {"taman kota kotor", "Taman"},
             {"taman kota gelap", "Taman"}});
    CHECK(c.labels() == std::vector<std::string>{"PDAM", "Taman"});
    CHECK(c.classify("pdam mati lagi").label == "PDAM");
}
